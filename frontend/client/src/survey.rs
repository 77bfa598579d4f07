//! The survey form in the browser. The server renders every section (the current one shown)
//! and answers each page without JavaScript; here the same domain rules the server applies
//! (`qn_domain::surveys`: conditions, answer checks, required questions) run on the form
//! itself, so the browser can show and hide questions at once, check a page before leaving
//! it, keep the answers on the phone, and page through the rest without the network. Sending
//! is left to `/qn.js` (event `qn-survey-send`), which queues the response in IndexedDB when
//! there is no connection and sends it, exactly once by its key, when there is one again.

mod form_fields;
mod sending;
use form_fields::*;
use sending::*;

use qn_domain::surveys::{check_answer, form, AnswerError, Answers, Survey};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlFormElement, SubmitEvent};

/// Where the respondent is: a section (index), or the final "send" step.
#[derive(Clone, Copy, PartialEq)]
enum Step {
    Section(usize),
    Send,
}

struct SurveyForm {
    doc: Document,
    form: HtmlFormElement,
    survey: Survey,
    id: String,
    step: Step,
    /// The response's idempotency key, kept with the draft: a queued response sent twice is
    /// stored once.
    key: String,
    /// Postcode → Quartier choices (empty when the Kommune keeps no postcode table).
    postcodes: BTreeMap<String, Vec<i64>>,
    /// The questions whose problems are shown now: each goes away once its answer fits.
    marked: Vec<String>,
}

/// One problem of a refused response as the server names it (a problem of the whole response
/// has no question and is shown by `/qn.js`).
#[derive(serde::Deserialize)]
struct Problem {
    #[serde(default)]
    question: Option<String>,
    #[serde(default)]
    code: Option<String>,
}

/// Finds the survey form of the page (if any) and takes it over.
pub fn enhance() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(Some(el)) = doc.query_selector("form.survey-form[data-survey]") else {
        return;
    };
    let Ok(form) = el.dyn_into::<HtmlFormElement>() else {
        return;
    };
    let data = form.dataset();
    if data.get("enhanced").is_some() {
        return;
    }
    let Some(survey) = data
        .get("survey")
        .and_then(|j| serde_json::from_str::<Survey>(&j).ok())
    else {
        return;
    };
    let id = data.get("surveyId").unwrap_or_default();
    let current = data
        .get("section")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(0);
    let key = restore(&form, &id).unwrap_or_else(new_key);
    let postcodes = data
        .get("postcodes")
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    let _ = data.set("enhanced", "true");
    let state = Rc::new(RefCell::new(SurveyForm {
        doc,
        form: form.clone(),
        survey,
        id,
        step: Step::Section(current),
        key,
        postcodes,
        marked: Vec::new(),
    }));
    refresh(&state.borrow());

    let s = state.clone();
    let on_change = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
        if let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .filter(|i| i.has_attribute("data-postcode-for"))
        {
            postcode_typed(&s.borrow(), &input);
        }
        refresh(&s.borrow());
        clear_fixed(&mut s.borrow_mut());
    });
    let _ = form.add_event_listener_with_callback("input", on_change.as_ref().unchecked_ref());
    let _ = form.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    on_change.forget();

    // The server's refusal of a sent response (relayed by /qn.js): each problem at its
    // question, the first one's part shown.
    let s = state.clone();
    let on_refused =
        Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
            let list: Vec<(String, String)> = e
                .detail()
                .as_string()
                .and_then(|j| serde_json::from_str::<Vec<Problem>>(&j).ok())
                .unwrap_or_default()
                .into_iter()
                .filter_map(|p| Some((p.question?, p.code?)))
                .collect();
            refused(&mut s.borrow_mut(), &list);
        });
    let _ = form
        .add_event_listener_with_callback("qn-survey-refused", on_refused.as_ref().unchecked_ref());
    on_refused.forget();

    let s = state;
    let on_submit = Closure::<dyn Fn(SubmitEvent)>::new(move |e: SubmitEvent| {
        e.prevent_default();
        let action = e
            .submitter()
            .and_then(|b| b.get_attribute("value"))
            .unwrap_or_default();
        submit(&s, &action);
    });
    let _ = form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    on_submit.forget();
}

/// Shows and hides questions by their conditions, updates the progress, keeps the draft.
fn refresh(s: &SurveyForm) {
    let (valid, _) = read(s);
    let kept = s.survey.visible_answers(&valid);
    for fs in all(&s.form, "fieldset[data-question]") {
        let key = fs.get_attribute("data-question").unwrap_or_default();
        if let Some(h) = html(&fs) {
            h.set_hidden(!s.survey.is_shown(&key, &kept));
        }
    }
    let shown = s.survey.shown_sections(&kept);
    // The review before sending is a step of its own (as on the server's pages).
    let steps = shown.len() + 1;
    let step = match s.step {
        Step::Section(i) => shown.iter().position(|x| *x == i).map_or(1, |p| p + 1),
        Step::Send => steps,
    };
    if let Ok(Some(p)) = s.doc.query_selector("#fortschritt") {
        let label = p.get_attribute("data-step-label").unwrap_or_default();
        let of = p.get_attribute("data-of-label").unwrap_or_default();
        p.set_text_content(Some(&format!("{label} {step} {of} {steps}")));
    }
    if let Ok(Some(bar)) = s.doc.query_selector("progress") {
        if let Ok(bar) = bar.dyn_into::<web_sys::HtmlProgressElement>() {
            bar.set_max(steps as f64);
            bar.set_value(step as f64);
        }
    }
    save(s);
}

fn save(s: &SurveyForm) {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return;
    };
    let draft = Draft {
        key: s.key.clone(),
        fields: fields(&s.form),
    };
    if let Ok(j) = serde_json::to_string(&draft) {
        let _ = storage.set_item(&storage_key(&s.id), &j);
    }
}

/// The problems of one section: answers that do not fit, and shown required questions left
/// open — the same rules the server applies when the page arrives.
fn section_problems(s: &SurveyForm, index: usize) -> Vec<(String, String)> {
    let (valid, problems) = read(s);
    let kept = s.survey.visible_answers(&valid);
    let mut out = Vec::new();
    for q in &s.survey.sections[index].questions {
        if !s.survey.is_shown(&q.key, &kept) {
            continue;
        }
        if let Some(e) = problems.get(&q.key) {
            out.push((q.key.clone(), e.code().to_owned()));
        } else if q.required && !kept.contains_key(&q.key) {
            out.push((q.key.clone(), AnswerError::Required.code().to_owned()));
        }
    }
    out
}

/// Takes the problems of answers that now fit off the page (without moving the focus).
fn clear_fixed(s: &mut SurveyForm) {
    let Step::Section(i) = s.step else {
        return;
    };
    if s.marked.is_empty() {
        return;
    }
    let still: Vec<(String, String)> = section_problems(s, i)
        .into_iter()
        .filter(|(k, _)| s.marked.contains(k))
        .collect();
    if still.len() != s.marked.len() {
        mark(s, &still, false);
    }
}

/// Marks the problems at their questions and in the summary at the top, which takes focus.
fn show_problems(s: &mut SurveyForm, problems: &[(String, String)]) {
    mark(s, problems, true);
}

fn mark(s: &mut SurveyForm, problems: &[(String, String)], focus: bool) {
    s.marked = problems.iter().map(|(k, _)| k.clone()).collect();
    for old in all(&s.form, ".field-error[data-client]") {
        old.remove();
    }
    for fs in all(&s.form, "fieldset[data-question]") {
        let _ = fs.remove_attribute("aria-invalid");
    }
    let Ok(Some(summary)) = s.doc.query_selector("#fehler") else {
        return;
    };
    let list = summary.query_selector("ul").ok().flatten();
    if let Some(l) = &list {
        l.set_inner_html("");
    }
    // The messages in the respondent's language, as the server's i18n layer gave them to the
    // page (so the wasm carries no texts).
    let messages: BTreeMap<String, String> = s
        .form
        .get_attribute("data-messages")
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    for (key, code) in problems {
        let text = messages.get(code).map_or(code.as_str(), String::as_str);
        if let Ok(Some(fs)) = s.doc.query_selector(&format!("#q-{key}")) {
            let _ = fs.set_attribute("aria-invalid", "true");
            if let Ok(p) = s.doc.create_element("p") {
                let _ = p.set_attribute("class", "field-error");
                let _ = p.set_attribute("data-client", "");
                p.set_text_content(Some(text));
                // After the legend, where the server puts its own message.
                let legend = fs.query_selector("legend").ok().flatten();
                let _ = match legend.and_then(|l| l.next_sibling()) {
                    Some(next) => fs.insert_before(&p, Some(&next)).map(|_| ()),
                    None => fs.append_child(&p).map(|_| ()),
                };
            }
            if let (Some(l), Ok(li), Ok(a)) =
                (&list, s.doc.create_element("li"), s.doc.create_element("a"))
            {
                let label = question_label(&fs);
                let _ = a.set_attribute("href", &format!("#q-{key}"));
                a.set_text_content(Some(&format!("{label}: {text}")));
                let _ = li.append_child(&a);
                let _ = l.append_child(&li);
            }
        }
    }
    if let Some(h) = html(&summary) {
        h.set_hidden(problems.is_empty());
        if focus && !problems.is_empty() {
            let _ = h.set_attribute("tabindex", "-1");
            let _ = h.focus();
        }
    }
}

/// Shows one step and moves the focus to its heading.
fn show(s: &mut SurveyForm, step: Step) {
    s.step = step;
    for sec in all(&s.form, "section.survey-section") {
        let this = match sec.get_attribute("data-section") {
            Some(i) => i.parse::<usize>().ok().map(Step::Section),
            None => Some(Step::Send),
        };
        if let Some(h) = html(&sec) {
            h.set_hidden(this != Some(step));
        }
    }
    let sending = step == Step::Send;
    for (selector, hidden) in [("[data-next]", sending), ("[data-send]", !sending)] {
        if let Ok(Some(b)) = s.form.query_selector(selector) {
            if let Some(h) = html(&b) {
                h.set_hidden(hidden);
            }
        }
    }
    if let Step::Section(i) = step {
        s.form
            .set_action(&format!("/umfrage/{}/seite/{}", s.id, i + 1));
    }
    show_problems(s, &[]);
    refresh(s);
    if sending {
        summarise(s);
    }
    let heading = match step {
        Step::Section(i) => format!("#teil-{}", i + 1),
        Step::Send => "#teil-senden".to_owned(),
    };
    if let Ok(Some(h)) = s.doc.query_selector(&heading) {
        if let Some(h) = html(&h) {
            let _ = h.focus();
        }
    }
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
        // Maps in a section that was hidden measure themselves again.
        if let Ok(e) = web_sys::Event::new("resize") {
            let _ = w.dispatch_event(&e);
        }
    }
}
