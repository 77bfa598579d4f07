//! The results page and the survey's management page.

use super::*;

pub(super) fn group_view(g: &Group, links: &HashMap<i32, AreaLink>) -> ResultGroup {
    ResultGroup {
        area: g.area.and_then(|a| links.get(&a).cloned()),
        n: g.n,
        cells: if g.shown {
            g.counts
                .iter()
                .map(|c| {
                    Some(ResultCell {
                        count: c.count,
                        share: c.share,
                    })
                })
                .collect()
        } else {
            Vec::new()
        },
        mean: g.mean,
    }
}

pub async fn results(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
    summary: impl FnOnce(i32) -> Option<TenantSummary>,
) -> AppResult<SurveyResultsData> {
    let r = surveys::results(&state.db, viewer, id).await?;
    let s = &r.survey;
    let tenant = summary(s.row.tenant_id).ok_or(AppError::NotFound)?;
    let texts = s.texts.of(BASE_LANGUAGE);
    let links: HashMap<i32, AreaLink> = r.areas.iter().map(|a| (a.id, link(a))).collect();
    let questions = s
        .survey
        .questions()
        .zip(&r.results.questions)
        .map(|(q, res)| {
            let categories = res
                .total
                .counts
                .iter()
                .map(|c| category_label(q, &c.key, &texts, &links))
                .collect::<Vec<_>>();
            // A suppressed total has no counts: label the categories from the structure.
            let categories = if categories.is_empty() {
                structure_categories(q, &texts)
            } else {
                categories
            };
            QuestionResultView {
                key: q.key.clone(),
                text: texts.question(&q.key),
                kind: qn_domain::surveys::builder::kind_name(&q.kind).to_owned(),
                categories,
                total: group_view(&res.total, &links),
                areas: res.areas.iter().map(|g| group_view(g, &links)).collect(),
                texts: r
                    .free_texts
                    .iter()
                    .filter(|t| t.question == q.key)
                    .map(|t| FreeTextView {
                        id: t.id,
                        body: t.body.clone(),
                        status: t.status.clone(),
                    })
                    .collect(),
                options: match &q.kind {
                    QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. } => {
                        options_of(q, &texts).0
                    }
                    _ => Vec::new(),
                },
            }
        })
        .collect();
    Ok(SurveyResultsData {
        head: head(s, BASE_LANGUAGE, tenant),
        responses: r.results.responses,
        by_area: r
            .results
            .by_area
            .iter()
            .map(|(a, n)| (a.and_then(|a| links.get(&a).cloned()), *n))
            .collect(),
        min_group: s.min_group(),
        questions,
        is_staff: viewer.staff_tenant_ids().contains(&s.row.tenant_id),
        can_review: viewer.may(s.row.tenant_id, Can::ReviewFreeTexts),
        can_export: viewer.may(s.row.tenant_id, Can::ReadRawAnswers),
        can_map: viewer.may(s.row.tenant_id, Can::EditIndicators),
        published: s.row.results_published,
    })
}

pub(super) fn category_label(
    q: &Question,
    key: &str,
    texts: &Texts,
    links: &HashMap<i32, AreaLink>,
) -> String {
    match &q.kind {
        QuestionKind::Matrix { .. } => match key.split_once('.') {
            Some((item, opt)) => format!(
                "{}: {}",
                texts.or_key(&format!("item.{}.{item}", q.key)),
                texts.option(&q.key, opt)
            ),
            None => key.to_owned(),
        },
        QuestionKind::Rating { .. } => key.to_owned(),
        QuestionKind::Quartier => key
            .parse::<i32>()
            .ok()
            .and_then(|id| links.get(&id))
            .map_or_else(|| key.to_owned(), |l| l.name.clone()),
        QuestionKind::MultipleChoice { .. } if key == "other" => "Sonstiges".into(),
        _ => texts.option(&q.key, key),
    }
}

pub(super) fn structure_categories(q: &Question, texts: &Texts) -> Vec<String> {
    let (options, items) = options_of(q, texts);
    if items.is_empty() {
        options.into_iter().map(|(_, l)| l).collect()
    } else {
        items
            .iter()
            .flat_map(|(_, i)| options.iter().map(move |(_, o)| format!("{i}: {o}")))
            .collect()
    }
}

pub async fn manage(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
    summary: impl FnOnce(i32) -> Option<TenantSummary>,
) -> AppResult<SurveyManageData> {
    let db = &state.db;
    let s = surveys::load(db, viewer, id).await?;
    viewer.require(s.row.tenant_id, Can::ManageSurveys)?;
    let tenant = summary(s.row.tenant_id).ok_or(AppError::NotFound)?;
    let responses = surveys::response_count(db, id).await?;
    let mut area_list = Vec::new();
    for level in areas::levels(db, viewer, s.row.tenant_id).await? {
        let mut of_level = areas::current_areas(db, viewer, level.id).await?;
        of_level.sort_by_cached_key(|a| areas::name_key(&a.name));
        area_list.extend(of_level.iter().map(link));
    }
    let (codes_total, codes_used) = surveys::code_counts(db, id).await?;
    let base = s.texts.of(BASE_LANGUAGE);
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
    let structure = serde_json::to_value(&s.survey).map_err(AppError::internal)?;
    let texts = serde_json::to_value(&s.texts).map_err(AppError::internal)?;
    Ok(SurveyManageData {
        head: head(&s, BASE_LANGUAGE, tenant),
        card: card(&s.row, Some(responses)),
        structure_json: pretty(&structure),
        texts_json: pretty(&texts),
        opens: s.row.opens_at.map(|t| t.format("%Y-%m-%d").to_string()),
        closes: s.row.closes_at.map(|t| t.format("%Y-%m-%d").to_string()),
        min_group: s.min_group(),
        areas: area_list,
        selected_areas: s.areas.clone(),
        codes_total,
        codes_used,
        frozen: responses > 0,
        previous_id: s.row.previous_id,
        can_export: viewer.may(s.row.tenant_id, Can::ReadRawAnswers),
        pending_texts: surveys::pending_free_texts(db, id).await?,
        outline: s
            .survey
            .sections
            .iter()
            .enumerate()
            .map(|(i, sec)| OutlineSection {
                number: i + 1,
                condition: condition_value(sec.show_if.as_ref()),
                title: base.get(&format!("section.{}", sec.key)).map(str::to_owned),
                questions: sec
                    .questions
                    .iter()
                    .map(|q| OutlineQuestion {
                        key: q.key.clone(),
                        text: base.question(&q.key),
                        kind: qn_domain::surveys::builder::kind_name(&q.kind).to_owned(),
                        required: q.required,
                        conditional: q.show_if.is_some(),
                        form: question_form(&s, &q.key),
                    })
                    .collect(),
            })
            .collect(),
        conditions: s
            .survey
            .questions()
            .flat_map(|q| {
                let (options, _) = match &q.kind {
                    QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. } => {
                        options_of(q, &base)
                    }
                    _ => (Vec::new(), Vec::new()),
                };
                let text = base.question(&q.key);
                options
                    .into_iter()
                    .map(move |(o, label)| (format!("{}={o}", q.key), format!("{text} → {label}")))
            })
            .collect(),
        languages: languages(&s),
    })
}
