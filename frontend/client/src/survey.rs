//! The survey form in the browser. The server renders every section (the current one shown)
//! and answers each page without JavaScript; here the same domain rules the server applies
//! (`qn_domain::surveys`: conditions, answer checks, required questions) run on the form
//! itself, so the browser can show and hide questions at once, check a page before leaving
//! it, keep the answers on the phone, and page through the rest without the network. Sending
//! is left to `/qn.js` (event `qn-survey-send`), which queues the response in IndexedDB when
//! there is no connection and sends it, exactly once by its key, when there is one again.

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
                .and_then(|j| serde_json::from_str::<Vec<serde_json::Value>>(&j).ok())
                .unwrap_or_default()
                .iter()
                .filter_map(|p| {
                    Some((
                        p.get("question")?.as_str()?.to_owned(),
                        p.get("code")?.as_str()?.to_owned(),
                    ))
                })
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

/// 128 random bits from the browser's cryptographic generator, as hex.
fn new_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(c) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = c.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn storage_key(id: &str) -> String {
    format!("qn-survey-{id}")
}

/// Puts the answers kept on this phone back into the form; returns their key.
fn restore(form: &HtmlFormElement, id: &str) -> Option<String> {
    let storage = web_sys::window()?.local_storage().ok()??;
    let saved = storage.get_item(&storage_key(id)).ok()??;
    let v: serde_json::Value = serde_json::from_str(&saved).ok()?;
    let key = v["key"].as_str()?.to_owned();
    let fields: Vec<(String, String)> = serde_json::from_value(v["fields"].clone()).ok()?;
    for el in elements(form) {
        let name = el.get_attribute("name").unwrap_or_default();
        if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            match input.type_().as_str() {
                "radio" | "checkbox" => {
                    let value = input.value();
                    input.set_checked(fields.iter().any(|(k, v)| *k == name && *v == value));
                }
                _ => input.set_value(&first(&fields, &name)),
            }
        } else if let Some(select) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
            select.set_value(&first(&fields, &name));
        } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            area.set_value(&first(&fields, &name));
        }
    }
    Some(key)
}

fn first(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn elements(form: &HtmlFormElement) -> Vec<Element> {
    let mut out = Vec::new();
    if let Ok(list) =
        form.query_selector_all("input[name^='q.'], select[name^='q.'], textarea[name^='q.']")
    {
        for i in 0..list.length() {
            if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                out.push(el);
            }
        }
    }
    out
}

/// The form's answer fields as the server would receive them.
fn fields(form: &HtmlFormElement) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for el in elements(form) {
        let name = el.get_attribute("name").unwrap_or_default();
        if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            let checkable = matches!(input.type_().as_str(), "radio" | "checkbox");
            if !checkable || input.checked() {
                out.push((name, input.value()));
            }
        } else if let Some(select) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
            out.push((name, select.value()));
        } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            out.push((name, area.value()));
        }
    }
    out
}

/// A postcode typed for a Quartier question: a postcode of one Quartier picks it in the list
/// (and so on the map); otherwise the hint says what to do.
fn postcode_typed(s: &SurveyForm, input: &web_sys::HtmlInputElement) {
    use qn_domain::areas::postcodes::{resolve, PostcodeMatch};
    let Some(select_id) = input.get_attribute("data-postcode-for") else {
        return;
    };
    let Some(select) = s
        .doc
        .get_element_by_id(&select_id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
    else {
        return;
    };
    let hint = s.doc.get_element_by_id(&format!(
        "{}-plz-hint",
        select_id.trim_end_matches("-input")
    ));
    let allowed = s.postcodes.values().flatten().copied().collect();
    let message = match resolve(&s.postcodes, &input.value(), &allowed) {
        PostcodeMatch::One(id) => {
            if select.value() != id.to_string() {
                select.set_value(&id.to_string());
                // The map follows the list (qn.js listens for "change").
                if let Ok(e) = web_sys::Event::new("change") {
                    let _ = select.dispatch_event(&e);
                }
            }
            None
        }
        PostcodeMatch::Several(_) => Some("several"),
        PostcodeMatch::Unknown => Some("unknown"),
        PostcodeMatch::Invalid => None,
    };
    if let Some(hint) = hint.as_ref().and_then(|h| h.dyn_ref::<HtmlElement>()) {
        let data = hint.dataset();
        if data.get("default").is_none() {
            let _ = data.set("default", &hint.text_content().unwrap_or_default());
        }
        let text = message
            .and_then(|m| data.get(m))
            .or_else(|| data.get("default"))
            .unwrap_or_default();
        hint.set_text_content(Some(&text));
    }
}

/// Every answer that fits its question, and the problems of the others, by question.
fn read(s: &SurveyForm) -> (Answers, BTreeMap<String, AnswerError>) {
    let mut fields = fields(&s.form);
    let mut valid = Answers::new();
    let mut problems = BTreeMap::new();
    for section in &s.survey.sections {
        problems.extend(form::apply_postcodes(section, &mut fields, &s.postcodes));
        let (read, unreadable) = form::read_section(section, &fields);
        problems.extend(unreadable);
        for q in &section.questions {
            if let Some(a) = read.get(&q.key) {
                match check_answer(&q.kind, a) {
                    Ok(Some(a)) => {
                        valid.insert(q.key.clone(), a);
                    }
                    Ok(None) => {}
                    Err(e) => {
                        problems.insert(q.key.clone(), e);
                    }
                }
            }
        }
    }
    (valid, problems)
}

fn html(el: &Element) -> Option<&HtmlElement> {
    el.dyn_ref::<HtmlElement>()
}

fn all(root: &impl AsRef<web_sys::Element>, selector: &str) -> Vec<Element> {
    let mut out = Vec::new();
    if let Ok(list) = root.as_ref().query_selector_all(selector) {
        for i in 0..list.length() {
            if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                out.push(el);
            }
        }
    }
    out
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
    let v = serde_json::json!({"key": s.key, "fields": fields(&s.form)});
    let _ = storage.set_item(&storage_key(&s.id), &v.to_string());
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
    let lang = s.form.get_attribute("data-lang").unwrap_or_default();
    for (key, code) in problems {
        let text = qn_app::i18n::surveys::message_in(&lang, code);
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

/// The answers as they will be sent, by section, each section with a button back to it — what
/// the server's review page shows without JavaScript.
fn summarise(s: &SurveyForm) {
    let Ok(Some(target)) = s.doc.query_selector("#antworten") else {
        return;
    };
    let edit = target.get_attribute("data-edit").unwrap_or_default();
    let none = target.get_attribute("data-none").unwrap_or_default();
    target.set_inner_html("");
    let (valid, _) = read(s);
    let kept = s.survey.visible_answers(&valid);
    for i in s.survey.shown_sections(&kept) {
        let Ok(Some(section)) = s
            .doc
            .query_selector(&format!("section.survey-section[data-section='{i}']"))
        else {
            continue;
        };
        let Ok(block) = s.doc.create_element("section") else {
            return;
        };
        let _ = block.set_attribute("class", "review-section");
        if let (Ok(Some(h)), Ok(h2)) = (section.query_selector("h1"), s.doc.create_element("h2")) {
            h2.set_text_content(h.text_content().as_deref());
            let _ = block.append_child(&h2);
        }
        let Ok(dl) = s.doc.create_element("dl") else {
            return;
        };
        for fs in all(&section, "fieldset[data-question]") {
            let key = fs.get_attribute("data-question").unwrap_or_default();
            if !s.survey.is_shown(&key, &kept) {
                continue;
            }
            let question = question_label(&fs);
            let answer = answer_text(&fs);
            if let (Ok(dt), Ok(dd)) = (s.doc.create_element("dt"), s.doc.create_element("dd")) {
                dt.set_text_content(Some(question.trim()));
                dd.set_text_content(Some(if answer.is_empty() { &none } else { &answer }));
                let _ = dl.append_child(&dt);
                let _ = dl.append_child(&dd);
            }
        }
        let _ = block.append_child(&dl);
        if let (Ok(p), Ok(b)) = (s.doc.create_element("p"), s.doc.create_element("button")) {
            let _ = b.set_attribute("type", "submit");
            let _ = b.set_attribute("name", "richtung");
            let _ = b.set_attribute("value", &format!("teil-{i}"));
            let _ = b.set_attribute("class", "link");
            let _ = b.set_attribute("formnovalidate", "");
            b.set_text_content(Some(&edit));
            let _ = p.append_child(&b);
            let _ = block.append_child(&p);
        }
        let _ = target.append_child(&block);
    }
}

/// A question's text: the legend's first text (without the "required" mark after it).
fn question_label(fs: &Element) -> String {
    fs.query_selector("legend")
        .ok()
        .flatten()
        .and_then(|l| l.first_child())
        .and_then(|n| n.text_content())
        .unwrap_or_default()
}

/// What a question's fields hold, as the respondent sees it: the labels of chosen options,
/// the chosen entry of a list, typed text.
fn answer_text(fs: &Element) -> String {
    let mut parts = Vec::new();
    for el in all(fs, "input, select, textarea") {
        if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            match i.type_().as_str() {
                "hidden" | "button" | "submit" => {}
                "radio" | "checkbox" if i.checked() => {
                    let label = fs
                        .query_selector(&format!("label[for='{}']", i.id()))
                        .ok()
                        .flatten()
                        .and_then(|l| l.text_content())
                        .unwrap_or_else(|| i.value());
                    parts.push(label.trim().to_owned());
                }
                "radio" | "checkbox" => {}
                _ if !i.value().trim().is_empty() => parts.push(i.value().trim().to_owned()),
                _ => {}
            }
        } else if let Some(sel) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
            if !sel.value().is_empty() {
                if let Some(o) = sel.selected_options().item(0) {
                    parts.push(o.text_content().unwrap_or_default().trim().to_owned());
                }
            }
        } else if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            if !t.value().trim().is_empty() {
                parts.push(t.value().trim().to_owned());
            }
        }
    }
    parts.join(", ")
}

fn submit(state: &Rc<RefCell<SurveyForm>>, action: &str) {
    let mut s = state.borrow_mut();
    let (valid, _) = read(&s);
    let shown = s.survey.shown_sections(&valid);
    if let Some(i) = action
        .strip_prefix("teil-")
        .and_then(|i| i.parse::<usize>().ok())
    {
        show(&mut s, Step::Section(i));
        return;
    }
    match (action, s.step) {
        ("zurueck", Step::Send) => {
            if let Some(last) = shown.last().copied() {
                show(&mut s, Step::Section(last));
            }
        }
        ("zurueck", Step::Section(i)) => match shown.iter().rev().find(|x| **x < i) {
            Some(prev) => show(&mut s, Step::Section(*prev)),
            None => {
                let start = s.form.dataset().get("start").unwrap_or_default();
                if let Some(w) = web_sys::window() {
                    let _ = w.location().set_href(&start);
                }
            }
        },
        ("weiter", Step::Section(i)) => {
            let problems = section_problems(&s, i);
            if !problems.is_empty() {
                show_problems(&mut s, &problems);
                return;
            }
            match shown.iter().find(|x| **x > i) {
                Some(next) => show(&mut s, Step::Section(*next)),
                None => show(&mut s, Step::Send),
            }
        }
        ("senden", _) => send(&mut s, &valid),
        _ => {}
    }
}

/// Shows the part of the first refused answer with every problem marked (codes as the server
/// sends them; the texts are the survey language's).
fn refused(s: &mut SurveyForm, problems: &[(String, String)]) {
    let Some((first, _)) = problems.first() else {
        return;
    };
    let section = s
        .survey
        .sections
        .iter()
        .position(|sec| sec.questions.iter().any(|q| q.key == *first))
        .unwrap_or(0);
    show(s, Step::Section(section));
    show_problems(s, problems);
}

/// Checks the whole response as the server will, then hands it to `/qn.js` to send or queue.
fn send(s: &mut SurveyForm, valid: &Answers) {
    let answers = match s.survey.check_response(valid) {
        Ok(a) => a,
        Err(problems) => {
            let list: Vec<(String, String)> = problems
                .iter()
                .map(|(k, e)| (k.clone(), e.code().to_owned()))
                .collect();
            refused(s, &list);
            return;
        }
    };
    let data = s.form.dataset();
    if data.get("preview").is_some() {
        // A builder's walk through a draft: nothing is sent.
        if let Some(w) = web_sys::window() {
            if let Ok(Some(storage)) = w.local_storage() {
                let _ = storage.remove_item(&storage_key(&s.id));
            }
            let thanks = data.get("thanks").unwrap_or_default();
            let _ = w.location().set_href(&format!("{thanks}&vorschau=1"));
        }
        return;
    }
    let honeypot = s
        .form
        .query_selector("input[name='website']")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default();
    let body = serde_json::json!({
        "key": s.key,
        "language": data.get("lang").unwrap_or_default(),
        "answers": answers,
        "code": data.get("code"),
        "website": honeypot,
    });
    let detail = serde_json::json!({
        "url": format!("/api/v1/surveys/{}/responses", s.id),
        "body": body.to_string(),
        "thanks": data.get("thanks").unwrap_or_default(),
        "draft": storage_key(&s.id),
    });
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_detail(&JsValue::from_str(&detail.to_string()));
    if let Ok(e) = web_sys::CustomEvent::new_with_event_init_dict("qn-survey-send", &init) {
        let _ = s.form.dispatch_event(&e);
    }
}
