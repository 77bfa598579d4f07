//! Reading the form: its fields, the kept answers in storage, the postcode helper, the answers by the domain rules.

use super::*;

/// 128 random bits from the browser's cryptographic generator, as hex.
pub(super) fn new_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(c) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = c.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The answers kept on the phone: the response's key and the form's fields as they were.
/// (Typed rather than `serde_json::Value`, whose parser would add to the wasm.)
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct Draft {
    pub key: String,
    pub fields: Vec<(String, String)>,
}

pub(super) fn storage_key(id: &str) -> String {
    format!("qn-survey-{id}")
}

/// Puts the answers kept on this phone back into the form; returns their key.
pub(super) fn restore(form: &HtmlFormElement, id: &str) -> Option<String> {
    let storage = web_sys::window()?.local_storage().ok()??;
    let saved = storage.get_item(&storage_key(id)).ok()??;
    let Draft { key, fields } = serde_json::from_str(&saved).ok()?;
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

pub(super) fn first(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

pub(super) fn elements(form: &HtmlFormElement) -> Vec<Element> {
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
pub(super) fn fields(form: &HtmlFormElement) -> Vec<(String, String)> {
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
pub(super) fn postcode_typed(s: &SurveyForm, input: &web_sys::HtmlInputElement) {
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
pub(super) fn read(s: &SurveyForm) -> (Answers, BTreeMap<String, AnswerError>) {
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

pub(super) fn html(el: &Element) -> Option<&HtmlElement> {
    el.dyn_ref::<HtmlElement>()
}

pub(super) fn all(root: &impl AsRef<web_sys::Element>, selector: &str) -> Vec<Element> {
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
