//! A post with its thread, support, follow, report and moderation forms.

use super::*;

#[component]
pub fn PostPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_post_page(id).await,
            None => Ok(Err(ApiError::new("NOT_FOUND"))),
        }
    });
    view! {
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move { loaded(data.await, |d| view! { <Post d/> }.into_any()) })}
        </Suspense>
    }
}

/// The form to report a post or comment (folded away).
pub(super) fn report_form(post: i32, target: &'static str, target_id: i32) -> impl IntoView {
    let tb = tb();
    let field = format!("melden-{target}-{target_id}");
    view! {
        <details class="report">
            <summary>{tb.report}</summary>
            <form method="post" action=format!("/beitrag/{post}/melden")>
                <input type="hidden" name="ziel" value=target/>
                <input type="hidden" name="ziel_id" value=target_id.to_string()/>
                <label for=field.clone()>{tb.report_reason}</label>
                <input id=field name="grund" required maxlength="500"/>
                <button type="submit" class="secondary">{tb.report_send}</button>
            </form>
        </details>
    }
}

/// Hide/restore and ban for moderators.
pub(super) fn moderate_form(
    post: i32,
    target: &'static str,
    target_id: i32,
    moderation: &str,
) -> impl IntoView {
    let tb = tb();
    let field = format!("mod-{target}-{target_id}");
    let ban_field = format!("ban-{target}-{target_id}");
    let days_field = format!("tage-{target}-{target_id}");
    let (action, label) = match moderation {
        "visible" => ("ausblenden", tb.hide),
        "pending" => ("einblenden", tb.approve),
        _ => ("einblenden", tb.show),
    };
    view! {
        <details class="moderate">
            <summary>{tb.moderate_heading}</summary>
            <form method="post" action=format!("/beitrag/{post}/moderieren")>
                <input type="hidden" name="ziel" value=target/>
                <input type="hidden" name="ziel_id" value=target_id.to_string()/>
                <input type="hidden" name="aktion" value=action/>
                <label for=field.clone()>{tb.moderation_reason}</label>
                <input id=field name="grund" required maxlength="500"/>
                <button type="submit">{label}</button>
            </form>
            <form method="post" action=format!("/beitrag/{post}/sperren")>
                <input type="hidden" name="ziel" value=target/>
                <input type="hidden" name="ziel_id" value=target_id.to_string()/>
                <label for=ban_field.clone()>{tb.moderation_reason}</label>
                <input id=ban_field name="grund" required maxlength="500"/>
                <label for=days_field.clone()>{tb.ban_days}</label>
                <input id=days_field name="tage" inputmode="numeric"/>
                <button type="submit" class="danger">{tb.ban}</button>
            </form>
        </details>
    }
}

pub(super) fn comment_item(
    post: i32,
    c: CommentData,
    can_reply: bool,
    can_moderate: bool,
    anonymous: bool,
    signed_in: bool,
) -> impl IntoView {
    let tb = tb();
    let hidden = c.moderation == "hidden";
    let reply_field = format!("antwort-{}", c.id);
    let name_field = format!("antwort-name-{}", c.id);
    view! {
        <li id=format!("k{}", c.id) class=if c.parent_id.is_some() { "comment reply" } else { "comment" }>
            <p class="post-meta"><span class="author">{c.author}</span>" · "{c.created}
                {(c.moderation == "pending").then(|| view! { " · "<strong>{tb.held_badge}</strong> })}
            </p>
            {if hidden && c.body_html.is_empty() {
                view! { <p class="hidden-note">{tb.hidden_by_moderation}": "{c.moderation_reason.clone().unwrap_or_default()}</p> }.into_any()
            } else {
                view! {
                    {hidden.then(|| view! { <p class="hidden-note">{tb.hidden_by_moderation}": "{c.moderation_reason.clone().unwrap_or_default()}</p> })}
                    <article class="user-content" inner_html=c.body_html.clone()></article>
                }.into_any()
            }}
            {(!hidden).then(|| report_form(post, "comment", c.id))}
            {can_moderate.then(|| moderate_form(post, "comment", c.id, &c.moderation))}
            {(can_reply && c.parent_id.is_none() && !hidden).then(|| view! {
                <details class="reply-form">
                    <summary>{tb.reply}</summary>
                    <form method="post" action=format!("/beitrag/{post}/kommentare")>
                        <input type="hidden" name="antwort_auf" value=c.id.to_string()/>
                        <label for=reply_field.clone()>{tb.reply_label}</label>
                        <textarea id=reply_field name="text" rows="3" required maxlength="10000"></textarea>
                        {(anonymous && !signed_in).then(|| view! {
                            <label for=name_field.clone()>{tb.display_name}</label>
                            <input id=name_field name="name" required maxlength="60"/>
                        })}
                        <button type="submit">{tb.comment_send}</button>
                    </form>
                </details>
            })}
        </li>
    }
}

#[component]
pub(super) fn Post(d: PostData) -> impl IntoView {
    let tb = tb();
    let t = crate::i18n::t();
    let id = d.id;
    let hidden = d.moderation == "hidden";
    let hidden_for_me = hidden && d.title.is_empty();
    let may_write = d.board.open && (d.signed_in || d.board.anonymous) && d.moderation == "visible";
    let query = use_query_map();
    let typed_comment = query.read_untracked().get("kommentar").unwrap_or_default();
    let title = if hidden_for_me {
        tb.hidden_by_moderation.to_owned()
    } else {
        d.title.clone()
    };
    let marker = d.lat.zip(d.lon).map(|(lat, lon)| format!("{lat},{lon}"));
    let can_moderate = d.can_moderate;
    let anonymous = d.board.anonymous;
    let signed_in = d.signed_in;
    view! {
        <Title text=title.clone()/>
        <nav aria-label=t.breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}/beteiligung", d.tenant.slug)>{tb.boards_title}" – "{d.tenant.name.clone()}</a>
            " › "<a href=format!("/pinnwand/{}", d.board.id)>{d.board.title.clone()}</a>
        </nav>
        <article class=format!("post kind-{}", d.kind)>
            <p class="post-meta">
                <span class="kind">{kind_label(&d.kind)}</span>" · "
                <span class="status">{status_label(&d.status)}</span>
                {(d.moderation == "pending").then(|| view! { " · "<strong>{tb.held_badge}</strong> })}
            </p>
            <h1>{title}</h1>
            {feedback(notice)}
            {hidden.then(|| view! { <p class="hidden-note" role="note">{tb.hidden_by_moderation}": "{d.moderation_reason.clone().unwrap_or_default()}</p> })}
            {(!hidden_for_me).then(|| view! {
                <p class="post-meta">
                    {tb.by}" "<span class="author">{d.author.clone()}</span>" "{tb.on_date}" "{d.created.clone()}
                    {d.edited.then(|| view! { " ("{tb.edited}")" })}
                </p>
                <article class="user-content post-body" inner_html=d.body_html.clone()></article>
            })}
            {(!d.areas.is_empty()).then(|| view! {
                <p>{tb.areas_label}": "
                    {d.areas.iter().enumerate().map(|(i, a)| view! {
                        {(i > 0).then_some(" › ")}<a href=format!("/quartier/{}", a.id)>{a.name.clone()}</a>
                    }).collect_view()}
                </p>
            })}
            {(!d.tags.is_empty()).then(|| view! {
                <ul class="inline-list tags">{d.tags.iter().map(|tg| view! { <li>{tg.clone()}</li> }).collect_view()}</ul>
            })}
            {d.answer_html.clone().map(|a| view! {
                <section class="official-answer" aria-labelledby="antwort">
                    <h2 id="antwort">{tb.answer_heading}</h2>
                    <p class="post-meta">{d.answered_by.clone().unwrap_or_default()}" · "{d.answered.clone().unwrap_or_default()}</p>
                    <article class="user-content" inner_html=a></article>
                </section>
            })}
            <div class="actions">
                <span class="supports" aria-live="polite">{d.supports}" "{tb.count_supports}</span>
                {(d.moderation == "visible").then(|| if d.supported {
                    view! {
                        <span>{tb.supported}</span>
                        <form method="post" action=format!("/beitrag/{id}/unterstuetzen") class="inline">
                            <input type="hidden" name="zurueckziehen" value="1"/>
                            <button type="submit" class="secondary">{tb.withdraw}</button>
                        </form>
                    }.into_any()
                } else if d.signed_in || d.board.anonymous {
                    view! {
                        <form method="post" action=format!("/beitrag/{id}/unterstuetzen") class="inline">
                            <button type="submit">{tb.support}</button>
                        </form>
                    }.into_any()
                } else {
                    view! { <a href=format!("/anmelden?weiter=/beitrag/{id}")>{tb.support}</a> }.into_any()
                })}
                {d.signed_in.then(|| view! {
                    <form method="post" action=format!("/beitrag/{id}/folgen") class="inline">
                        <input type="hidden" name="an" value=if d.following { "0" } else { "1" }/>
                        <button type="submit" class="secondary" title=tb.follow_hint>{if d.following { tb.unfollow } else { tb.follow }}</button>
                    </form>
                })}
            </div>
            {(!hidden_for_me).then(|| report_form(id, "post", id))}
            {d.can_moderate.then(|| view! {
                {moderate_form(id, "post", id, &d.moderation)}
                <form method="post" action=format!("/beitrag/{id}/erledigt") class="inline">
                    <input type="hidden" name="ziel" value="post"/>
                    <input type="hidden" name="ziel_id" value=id.to_string()/>
                    <button type="submit" class="secondary">{tb.dismiss}</button>
                </form>
            })}
            {d.polygons_url.clone().map(|url| view! {
                <section class="map-section" aria-label=tb.map_posts_label>
                    <div
                        class="qn-map small"
                        data-geojson=url
                        data-highlight=d.highlight.map(|h| h.to_string())
                        data-marker=marker.clone()
                        data-tiles=d.map.tile_url.clone()
                        data-attribution=d.map.tile_attribution.clone()
                    ></div>
                </section>
            })}
        </article>
        {d.can_answer.then(|| view! {
            <section aria-labelledby="beantworten" class="answer-form">
                <h2 id="beantworten">{tb.answer_form}</h2>
                <form method="post" action=format!("/beitrag/{id}/antwort") class="stack">
                    <label for="a-status">{tb.status_label}</label>
                    <select id="a-status" name="status">
                        {STATUSES.iter().map(|s| view! { <option value=*s selected=d.status == *s>{status_label(s)}</option> }).collect_view()}
                    </select>
                    <label for="a-text">{tb.answer_text}</label>
                    <textarea id="a-text" name="antwort" rows="5" maxlength="10000"></textarea>
                    <button type="submit">{tb.save}</button>
                </form>
            </section>
        })}
        {d.edit_text.clone().map(|text| view! {
            <details class="edit-form">
                <summary>{tb.edit_heading}</summary>
                <form method="post" action=format!("/beitrag/{id}/bearbeiten") class="stack">
                    <label for="e-titel">{tb.post_title}</label>
                    <input id="e-titel" name="titel" required maxlength="150" value=d.title.clone()/>
                    <label for="e-text">{tb.post_body}</label>
                    <textarea id="e-text" name="text" rows="6" required maxlength="10000">{textarea_text(text)}</textarea>
                    <button type="submit">{tb.save}</button>
                </form>
            </details>
        })}
        {(!d.revisions.is_empty()).then(|| view! {
            <details class="history">
                <summary>{tb.history_heading}" ("{d.revisions.len()}")"</summary>
                <ol>
                    {d.revisions.into_iter().map(|r| view! {
                        <li>
                            <p class="post-meta">{r.edited}" · "{if r.edited_by == "author" { tb.history_by_author } else { tb.history_by_moderation }}</p>
                            <p><strong>{r.title.unwrap_or_default()}</strong></p>
                            <article class="user-content" inner_html=r.body_html></article>
                        </li>
                    }).collect_view()}
                </ol>
            </details>
        })}
        <section aria-labelledby="kommentare" class="comments">
            <h2 id="kommentare">{tb.comments_heading}" ("{d.comments.len()}")"</h2>
            {if d.comments.is_empty() {
                view! { <p>{tb.comments_empty}</p> }.into_any()
            } else {
                view! {
                    <ol class="comment-list">
                        {d.comments.into_iter().map(|c| comment_item(id, c, may_write, can_moderate, anonymous, signed_in)).collect_view()}
                    </ol>
                }.into_any()
            }}
            {may_write.then(|| view! {
                <form method="post" action=format!("/beitrag/{id}/kommentare") id="kommentieren" class="stack">
                    <label for="c-text">{tb.comment_label}</label>
                    <textarea id="c-text" name="text" rows="4" required maxlength="10000">{textarea_text(typed_comment)}</textarea>
                    {(anonymous && !signed_in).then(|| view! {
                        <label for="c-name">{tb.display_name}</label>
                        <input id="c-name" name="name" required maxlength="60"/>
                    })}
                    <button type="submit">{tb.comment_send}</button>
                </form>
            })}
        </section>
    }
}
