//! Checks of a survey's structure: keys, sections, questions, conditions that only look back.

use super::*;

impl Survey {
    /// All questions in order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    /// Checks the structure: unique, well-formed keys; conditions that refer only to earlier
    /// questions; options, codes and ranges that make sense.
    ///
    /// # Errors
    /// The first [`SurveyError`] found.
    pub fn check(&self) -> Result<(), SurveyError> {
        let mut keys = HashSet::new();
        let mut earlier: HashSet<&str> = HashSet::new();
        if self.questions().next().is_none() {
            return Err(SurveyError::Empty);
        }
        for s in &self.sections {
            if !good_key(&s.key) {
                return Err(SurveyError::BadKey(s.key.clone()));
            }
            if !keys.insert(format!("section:{}", s.key)) {
                return Err(SurveyError::DuplicateKey(s.key.clone()));
            }
            // A section's condition sees the questions of earlier sections; a question's also
            // those before it in its own section.
            if let Some(c) = &s.show_if {
                forward(c, &s.key, |r| earlier.contains(r))?;
            }
            for (i, q) in s.questions.iter().enumerate() {
                check_question(q)?;
                if !keys.insert(q.key.clone()) {
                    return Err(SurveyError::DuplicateKey(q.key.clone()));
                }
                if let Some(c) = &q.show_if {
                    forward(c, &q.key, |r| {
                        earlier.contains(r) || s.questions[..i].iter().any(|p| p.key == r)
                    })?;
                }
            }
            earlier.extend(s.questions.iter().map(|q| q.key.as_str()));
        }
        // A condition on an option the question does not have would never hold.
        let conditions = self
            .sections
            .iter()
            .map(|s| (&s.key, &s.show_if))
            .chain(self.questions().map(|q| (&q.key, &q.show_if)));
        for (owner, c) in conditions {
            let mut named = Vec::new();
            if let Some(c) = c {
                c.options(&mut named);
            }
            for (question, option) in named {
                let offered = match self
                    .questions()
                    .find(|q| q.key == question)
                    .map(|q| &q.kind)
                {
                    Some(
                        QuestionKind::SingleChoice { options }
                        | QuestionKind::MultipleChoice { options, .. }
                        | QuestionKind::Ranking { options },
                    ) => options.iter().any(|o| o.key == option),
                    _ => true,
                };
                if !offered {
                    return Err(SurveyError::UnknownConditionOption(
                        owner.clone(),
                        question,
                        option,
                    ));
                }
            }
        }
        Ok(())
    }

    /// The answers that count: in order, each question's answer is kept only if its section
    /// and the question itself are shown given the answers kept before it. An answer to a
    /// question that became hidden (the respondent went back and changed an earlier answer)
    /// is dropped, never stored.
    pub fn visible_answers(&self, answers: &Answers) -> Answers {
        let mut kept = Answers::new();
        for s in &self.sections {
            if !s.show_if.as_ref().is_none_or(|c| c.holds(&kept)) {
                continue;
            }
            for q in &s.questions {
                if q.show_if.as_ref().is_none_or(|c| c.holds(&kept)) {
                    if let Some(a) = answers.get(&q.key) {
                        kept.insert(q.key.clone(), a.clone());
                    }
                }
            }
        }
        kept
    }

    /// The sections shown given the answers so far (indices, in order): the pages of the
    /// plain form and the steps of the progress indicator.
    pub fn shown_sections(&self, answers: &Answers) -> Vec<usize> {
        let kept = self.visible_answers(answers);
        self.sections
            .iter()
            .enumerate()
            .filter(|(_, s)| s.show_if.as_ref().is_none_or(|c| c.holds(&kept)))
            .map(|(i, _)| i)
            .collect()
    }

    /// Whether the question is shown given the answers so far.
    pub fn is_shown(&self, question: &str, answers: &Answers) -> bool {
        let kept = self.visible_answers(answers);
        for s in &self.sections {
            for q in &s.questions {
                if q.key == question {
                    return s.show_if.as_ref().is_none_or(|c| c.holds(&kept))
                        && q.show_if.as_ref().is_none_or(|c| c.holds(&kept));
                }
            }
        }
        false
    }

    /// Checks a whole response: answers to unknown questions are refused (no form sends
    /// them), answers to hidden questions dropped, every shown required question must be
    /// answered, and each answer must fit its question. Returns the answers to store.
    ///
    /// # Errors
    /// Every problem, by question key, in the survey's order.
    pub fn check_response(&self, answers: &Answers) -> Result<Answers, Vec<(String, AnswerError)>> {
        let mut problems = Vec::new();
        let known: HashSet<&str> = self.questions().map(|q| q.key.as_str()).collect();
        for k in answers.keys() {
            if !known.contains(k.as_str()) {
                problems.push((k.clone(), AnswerError::UnknownQuestion));
            }
        }
        // Check each answer before deciding visibility, so a forged option cannot switch a
        // condition on.
        let mut valid = Answers::new();
        for q in self.questions() {
            if let Some(a) = answers.get(&q.key) {
                match check_answer(&q.kind, a) {
                    Ok(Some(a)) => {
                        valid.insert(q.key.clone(), a);
                    }
                    Ok(None) => {}
                    Err(e) => problems.push((q.key.clone(), e)),
                }
            }
        }
        let kept = self.visible_answers(&valid);
        for s in &self.sections {
            if !s.show_if.as_ref().is_none_or(|c| c.holds(&kept)) {
                continue;
            }
            for q in &s.questions {
                let shown = q.show_if.as_ref().is_none_or(|c| c.holds(&kept));
                let failed = problems.iter().any(|(k, _)| k == &q.key);
                if shown && q.required && !kept.contains_key(&q.key) && !failed {
                    problems.push((q.key.clone(), AnswerError::Required));
                }
            }
        }
        if problems.is_empty() {
            Ok(kept)
        } else {
            let order: BTreeMap<&str, usize> = self
                .questions()
                .enumerate()
                .map(|(i, q)| (q.key.as_str(), i))
                .collect();
            problems.sort_by_key(|(k, _)| order.get(k.as_str()).copied().unwrap_or(usize::MAX));
            Err(problems)
        }
    }
}

/// Refuses a condition of `owner` that reads a question `seen` does not accept.
pub(super) fn forward(
    c: &Condition,
    owner: &str,
    seen: impl Fn(&str) -> bool,
) -> Result<(), SurveyError> {
    let mut refs = Vec::new();
    c.questions(&mut refs);
    match refs.into_iter().find(|r| !seen(r)) {
        Some(r) => Err(SurveyError::ConditionForward(owner.to_owned(), r)),
        None => Ok(()),
    }
}

pub(super) fn check_question(q: &Question) -> Result<(), SurveyError> {
    if !good_key(&q.key) {
        return Err(SurveyError::BadKey(q.key.clone()));
    }
    let options = |opts: &[Choice]| -> Result<(), SurveyError> {
        if opts.len() < 2 {
            return Err(SurveyError::TooFewOptions(q.key.clone()));
        }
        let mut keys = HashSet::new();
        let mut codes = HashSet::new();
        for o in opts {
            if !good_key(&o.key) {
                return Err(SurveyError::BadKey(o.key.clone()));
            }
            if !keys.insert(&o.key) {
                return Err(SurveyError::DuplicateKey(o.key.clone()));
            }
            if !codes.insert(o.code) {
                return Err(SurveyError::DuplicateCode(q.key.clone(), o.code));
            }
        }
        Ok(())
    };
    match &q.kind {
        QuestionKind::SingleChoice { options: o } | QuestionKind::Ranking { options: o } => {
            options(o)
        }
        QuestionKind::MultipleChoice { options: o, .. } => options(o),
        QuestionKind::Matrix { items, scale } => {
            options(scale)?;
            let mut seen = HashSet::new();
            for i in items {
                if !good_key(i) {
                    return Err(SurveyError::BadKey(i.clone()));
                }
                if !seen.insert(i) {
                    return Err(SurveyError::DuplicateKey(i.clone()));
                }
            }
            if items.is_empty() {
                return Err(SurveyError::TooFewOptions(q.key.clone()));
            }
            Ok(())
        }
        QuestionKind::Rating { min, max } if min >= max => {
            Err(SurveyError::BadRange(q.key.clone()))
        }
        QuestionKind::Number {
            min: Some(lo),
            max: Some(hi),
            ..
        } if lo > hi => Err(SurveyError::BadRange(q.key.clone())),
        QuestionKind::Date {
            min: Some(lo),
            max: Some(hi),
        } if lo > hi => Err(SurveyError::BadRange(q.key.clone())),
        QuestionKind::FreeText { max_chars } if *max_chars == 0 || *max_chars > FREE_TEXT_MAX => {
            Err(SurveyError::BadRange(q.key.clone()))
        }
        _ => Ok(()),
    }
}
