//! The summary before sending, sending (or queueing offline), and refusals from the server.

use super::*;

/// The answers as they will be sent, by section, each section with a button back to it — what
/// the server's review page shows without JavaScript.
pub(super) fn summarise(s: &SurveyForm) {
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
pub(super) fn question_label(fs: &Element) -> String {
    fs.query_selector("legend")
        .ok()
        .flatten()
        .and_then(|l| l.first_child())
        .and_then(|n| n.text_content())
        .unwrap_or_default()
}

/// What a question's fields hold, as the respondent sees it: the labels of chosen options,
/// the chosen entry of a list, typed text.
pub(super) fn answer_text(fs: &Element) -> String {
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

pub(super) fn submit(state: &Rc<RefCell<SurveyForm>>, action: &str) {
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
pub(super) fn refused(s: &mut SurveyForm, problems: &[(String, String)]) {
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
pub(super) fn send(s: &mut SurveyForm, valid: &Answers) {
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
    let body = Submission {
        key: &s.key,
        language: data.get("lang").unwrap_or_default(),
        answers: &answers,
        code: data.get("code"),
        website: honeypot,
    };
    let Ok(body) = serde_json::to_string(&body) else {
        return;
    };
    let detail = Sending {
        url: format!("/api/v1/surveys/{}/responses", s.id),
        body,
        thanks: data.get("thanks").unwrap_or_default(),
        draft: storage_key(&s.id),
    };
    let Ok(detail) = serde_json::to_string(&detail) else {
        return;
    };
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_detail(&JsValue::from_str(&detail));
    if let Ok(e) = web_sys::CustomEvent::new_with_event_init_dict("qn-survey-send", &init) {
        let _ = s.form.dispatch_event(&e);
    }
}

/// The response as the API takes it.
#[derive(serde::Serialize)]
struct Submission<'a> {
    key: &'a str,
    language: String,
    answers: &'a Answers,
    code: Option<String>,
    website: String,
}

/// What `/qn.js` needs to send the response (now, or queued until there is a connection).
#[derive(serde::Serialize)]
struct Sending {
    url: String,
    body: String,
    thanks: String,
    draft: String,
}
