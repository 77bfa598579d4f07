//! Participation pages: the boards of a Kommune, one board (list, filters, map, new post), one
//! post (answer, support, comments, report, moderation), and the moderators' queue. All forms
//! are plain POSTs or GETs, so everything works without the wasm and by keyboard. Rich text
//! arrives sanitised by the server; it is the only HTML inserted as such.

mod post_page;
pub use post_page::*;

use crate::api::{
    get_board_page, get_boards_page, get_moderation_page, get_post_page, ApiError, BoardArgs,
    BoardCard, BoardData, BoardsData, CommentData, ModerationData, PostCardData, PostData,
};
use crate::i18n::boards::{kind_label, notice, status_label, tb, KINDS, STATUSES};
use crate::pages::use_query_map;
use crate::pages::DataTable;
use crate::pages::{address_finder, feedback, loaded, page_number, textarea_text};
use crate::pages::{by_slug, page_with};
use crate::LoadingText;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn id_param(name: &'static str) -> impl Fn() -> Option<i32> + Copy {
    let params = use_params_map();
    move || params.read().get(name).and_then(|s| s.parse::<i32>().ok())
}

fn badges(b: &BoardCard) -> impl IntoView {
    let tb = tb();
    view! {
        <ul class="badges">
            <li>{if b.anonymous { tb.board_anonymous } else { tb.board_accounts }}</li>
            {b.premoderate_first.then(|| view! { <li>{tb.board_premoderated}</li> })}
            {(!b.open).then(|| view! { <li class="badge-closed">{tb.board_closed}</li> })}
        </ul>
    }
}

// ---------------------------------------------------------------------------------------------

#[component]
pub fn BoardsPage() -> impl IntoView {
    by_slug(get_boards_page, |d| view! { <Boards d/> })
}

#[component]
fn Boards(d: BoardsData) -> impl IntoView {
    let tb = tb();
    let slug = d.tenant.slug.clone();
    view! {
        <Title text=format!("{} – {}", tb.boards_title, d.tenant.name)/>
        <nav aria-label="Brotkrumen" class="breadcrumb">
            <a href=format!("/kommune/{slug}")>{d.tenant.name.clone()}</a>
        </nav>
        <h1>{tb.boards_title}" – "{d.tenant.name.clone()}</h1>
        {feedback(notice)}
        <p>{tb.boards_intro}</p>
        {d.can_moderate.then(|| view! { <p><a href=format!("/kommune/{slug}/moderation")>{tb.moderation_link}</a></p> })}
        {if d.boards.is_empty() {
            view! { <p>{tb.boards_empty}</p> }.into_any()
        } else {
            view! {
                <ul class="cards">
                    {d.boards.into_iter().map(|b| view! {
                        <li class="card">
                            <h2><a href=format!("/pinnwand/{}", b.id)>{b.title.clone()}</a></h2>
                            <p>
                                {b.area.as_ref().map(|a| a.name.clone()).or(b.topic.clone()).unwrap_or_default()}
                                " · "{b.posts}" "{tb.board_posts}
                            </p>
                            {badges(&b)}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {d.can_manage.then(|| view! {
            <section aria-labelledby="neue-pinnwand">
                <h2 id="neue-pinnwand">{tb.create_board}</h2>
                <form method="post" action=format!("/kommune/{slug}/beteiligung") class="stack">
                    <label for="b-titel">{tb.board_title}</label>
                    <input id="b-titel" name="titel" required maxlength="150"/>
                    <label for="b-thema">{tb.board_topic}</label>
                    <input id="b-thema" name="thema" maxlength="150"/>
                    <label for="b-gebiet">{tb.board_area}</label>
                    <select id="b-gebiet" name="gebiet">
                        <option value="">{tb.board_area_none}</option>
                        {d.areas.into_iter().map(|a| view! { <option value=a.id.to_string()>{a.name}</option> }).collect_view()}
                    </select>
                    <label for="b-regeln">{tb.board_rules}</label>
                    <textarea id="b-regeln" name="regeln" rows="3"></textarea>
                    <label class="check"><input type="checkbox" name="anonym" value="1"/>" "{tb.board_anonymous_label}</label>
                    <label class="check"><input type="checkbox" name="vorab" value="1"/>" "{tb.board_premoderate_label}</label>
                    <label class="check"><input type="checkbox" name="geschlossen" value="1"/>" "{tb.board_closed_label}</label>
                    <button type="submit">{tb.create}</button>
                </form>
            </section>
            <section aria-labelledby="felder">
                <h2 id="felder">{tb.tags_heading}</h2>
                <ul class="inline-list">{d.tags.into_iter().map(|t| view! { <li>{t.name}</li> }).collect_view()}</ul>
                <form method="post" action=format!("/kommune/{slug}/handlungsfelder") class="inline-form">
                    <label for="f-name">{tb.tag_name}</label>
                    <input id="f-name" name="name" required maxlength="150"/>
                    <button type="submit">{tb.add}</button>
                </form>
            </section>
        })}
    }
}

// ---------------------------------------------------------------------------------------------

fn board_args() -> impl Fn() -> BoardArgs + Copy {
    let q = use_query_map();
    move || {
        let q = q.read();
        BoardArgs {
            sort: q.get("sort"),
            art: q.get("art").filter(|s| !s.is_empty()),
            status: q.get("status").filter(|s| !s.is_empty()),
            feld: q.get("feld").and_then(|s| s.parse().ok()),
            seite: q.get("seite").and_then(|s| s.parse().ok()),
            hintergrund: q.get("hintergrund").and_then(|s| s.parse().ok()),
        }
    }
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let id = id_param("id");
    let args = board_args();
    page_with(
        move || (id(), args()),
        |(id, args)| async move {
            match id {
                Some(id) => get_board_page(id, args).await,
                None => Ok(Err(ApiError::new("NOT_FOUND"))),
            }
        },
        |d| view! { <Board d/> },
    )
}

fn post_card(p: PostCardData) -> impl IntoView {
    let tb = tb();
    let hidden = p.moderation == "hidden";
    view! {
        <li class=format!("post-card kind-{}", p.kind)>
            <p class="post-meta">
                <span class="kind">{kind_label(&p.kind)}</span>
                " · "<span class="status">{status_label(&p.status)}</span>
                {p.answered.then(|| view! { " · "<strong>{tb.answered_badge}</strong> })}
                {(p.moderation == "pending").then(|| view! { " · "<strong>{tb.held_badge}</strong> })}
            </p>
            {if hidden && p.title.is_empty() {
                view! {
                    <h3><a href=format!("/beitrag/{}", p.id)>{tb.hidden_by_moderation}</a></h3>
                    <p class="hidden-note">{p.moderation_reason.unwrap_or_default()}</p>
                }.into_any()
            } else {
                view! {
                    <h3><a href=format!("/beitrag/{}", p.id)>{p.title}</a>{hidden.then(|| view! { " ("{tb.hidden_badge}")" })}</h3>
                    <p class="user-text">{p.excerpt}</p>
                }.into_any()
            }}
            <p class="post-meta">
                {tb.by}" "<span class="author">{p.author}</span>" "{tb.on_date}" "{p.created}
                " · "<span class="supports">{p.supports}" "{tb.count_supports}</span>
                " · "{p.comments}" "{tb.count_comments}
            </p>
            {(!p.tags.is_empty()).then(|| view! {
                <ul class="inline-list tags">{p.tags.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
            })}
        </li>
    }
}

fn page_link(id: i32, args: &BoardArgs, page: u64) -> String {
    let mut q = vec![format!("seite={page}")];
    if let Some(s) = &args.sort {
        q.push(format!("sort={s}"));
    }
    if let Some(s) = &args.art {
        q.push(format!("art={s}"));
    }
    if let Some(s) = &args.status {
        q.push(format!("status={s}"));
    }
    if let Some(s) = args.feld {
        q.push(format!("feld={s}"));
    }
    if let Some(s) = args.hintergrund {
        q.push(format!("hintergrund={s}"));
    }
    format!("/pinnwand/{id}?{}", q.join("&"))
}

#[component]
fn Board(d: BoardData) -> impl IntoView {
    let tb = tb();
    let t = crate::i18n::t();
    let id = d.board.id;
    let query = use_query_map();
    let typed_title = query.read_untracked().get("titel").unwrap_or_default();
    let typed_text = query.read_untracked().get("text").unwrap_or_default();
    let typed_kind = query
        .read_untracked()
        .get("art")
        .unwrap_or_else(|| "idea".into());
    let args = d.args.clone();
    let sort = args.sort.clone().unwrap_or_else(|| "neu".into());
    let selected = |a: &Option<String>, v: &str| a.as_deref() == Some(v);
    let may_post = d.board.open && (d.signed_in || d.board.anonymous);
    view! {
        <Title text=format!("{} – {}", d.board.title, d.tenant.name)/>
        <nav aria-label=t.breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}/beteiligung", d.tenant.slug)>{tb.boards_title}" – "{d.tenant.name.clone()}</a>
            {d.board.area.clone().map(|a| view! { " › "<a href=format!("/quartier/{}", a.id)>{a.name}</a> })}
        </nav>
        <h1>{d.board.title.clone()}</h1>
        {feedback(notice)}
        {badges(&d.board)}
        {(!d.rules_html.is_empty()).then(|| view! {
            <details class="rules">
                <summary>{tb.rules_heading}</summary>
                <article class="user-content" inner_html=d.rules_html.clone()></article>
            </details>
        })}
        <div class="actions">
            {d.signed_in.then(|| view! {
                <form method="post" action=format!("/pinnwand/{id}/folgen") class="inline">
                    <input type="hidden" name="an" value=if d.following { "0" } else { "1" }/>
                    <button type="submit" class="secondary">{if d.following { tb.unfollow } else { tb.follow }}</button>
                </form>
            })}
            {d.is_staff.then(|| view! {
                <a href=format!("/api/v1/boards/{id}/posts.csv") download="">{tb.export_csv}</a>
            })}
            <a href=format!("/api/v1/boards/{id}/posts.geojson") rel="external">{tb.export_geojson}</a>
        </div>
        <form method="get" action=format!("/pinnwand/{id}") class="filters">
            <fieldset>
                <legend>{tb.filter_legend}</legend>
                <label for="f-sort">{tb.sort_label}</label>
                <select id="f-sort" name="sort">
                    <option value="neu" selected=sort == "neu">{tb.sort_newest}</option>
                    <option value="unterstuetzt" selected=sort == "unterstuetzt">{tb.sort_supported}</option>
                    <option value="status" selected=sort == "status">{tb.sort_status}</option>
                </select>
                <label for="f-art">{tb.kind_label}</label>
                <select id="f-art" name="art">
                    <option value="">{tb.all}</option>
                    {KINDS.iter().map(|k| view! { <option value=*k selected=selected(&args.art, k)>{kind_label(k)}</option> }).collect_view()}
                </select>
                <label for="f-status">{tb.status_label}</label>
                <select id="f-status" name="status">
                    <option value="">{tb.all}</option>
                    {STATUSES.iter().map(|s| view! { <option value=*s selected=selected(&args.status, s)>{status_label(s)}</option> }).collect_view()}
                </select>
                {(!d.tags.is_empty()).then(|| view! {
                    <label for="f-feld">{tb.tag_label}</label>
                    <select id="f-feld" name="feld">
                        <option value="">{tb.all}</option>
                        {d.tags.iter().map(|tg| view! { <option value=tg.id.to_string() selected=args.feld == Some(tg.id)>{tg.name.clone()}</option> }).collect_view()}
                    </select>
                })}
                {(!d.backgrounds.is_empty()).then(|| view! {
                    <label for="f-hg">{tb.background_label}</label>
                    <select id="f-hg" name="hintergrund">
                        <option value="">{tb.background_none}</option>
                        {d.backgrounds.iter().map(|(bid, name)| view! { <option value=bid.to_string() selected=args.hintergrund == Some(*bid)>{name.clone()}</option> }).collect_view()}
                    </select>
                })}
                <button type="submit">{tb.apply}</button>
            </fieldset>
        </form>
        <div class="board-layout">
            <section aria-labelledby="liste" class="board-list">
                <h2 id="liste">{tb.list_heading}" ("{d.total}")"</h2>
                {if d.posts.is_empty() {
                    view! { <p>{tb.list_empty}</p> }.into_any()
                } else {
                    view! { <ol class="posts">{d.posts.into_iter().map(post_card).collect_view()}</ol> }.into_any()
                }}
                {(d.pages > 1).then(|| view! {
                    <nav aria-label=tb.page_of class="pager">
                        {(d.page > 1).then(|| view! { <a href=page_link(id, &args, d.page - 1) rel="prev">{tb.page_prev}</a> })}
                        " "<span>{tb.page_of}" "{d.page}" / "{d.pages}</span>" "
                        {(d.page < d.pages).then(|| view! { <a href=page_link(id, &args, d.page + 1) rel="next">{tb.page_next}</a> })}
                    </nav>
                })}
            </section>
            {d.polygons_url.clone().map(|url| view! {
                <section class="map-section" aria-label=tb.map_posts_label>
                    <div
                        class="qn-map"
                        data-geojson=url
                        data-choropleth=d.choropleth.then_some("")
                        data-points=format!("/api/v1/boards/{id}/posts.geojson")
                        data-highlight=d.board.area.as_ref().map(|a| a.id.to_string())
                        data-pick=may_post.then_some("neu-form")
                        data-tiles=d.map.tile_url.clone()
                        data-attribution=d.map.tile_attribution.clone()
                    ></div>
                    <p class="hint">{tb.map_posts_hint}</p>
                </section>
            })}
        </div>
        <section aria-labelledby="neu" class="new-post">
            <h2 id="neu">{tb.new_post}</h2>
            {if !d.board.open {
                view! { <p>{tb.new_post_closed}</p> }.into_any()
            } else if !may_post {
                view! { <p><a href=format!("/anmelden?weiter=/pinnwand/{id}")>{tb.new_post_login}</a></p> }.into_any()
            } else {
                view! {
                    <form method="post" action=format!("/pinnwand/{id}/beitraege") id="neu-form" class="stack">
                        <fieldset>
                            <legend>{tb.kind_label}</legend>
                            {KINDS.iter().map(|k| view! {
                                <label class="check"><input type="radio" name="art" value=*k checked=typed_kind == *k required/>" "{kind_label(k)}</label>
                            }).collect_view()}
                        </fieldset>
                        <label for="p-titel">{tb.post_title}</label>
                        <input id="p-titel" name="titel" required maxlength="150" value=typed_title/>
                        <label for="p-text">{tb.post_body}</label>
                        <textarea id="p-text" name="text" rows="6" required maxlength="10000" aria-describedby="p-text-hint">{textarea_text(typed_text)}</textarea>
                        <p id="p-text-hint" class="hint">{tb.post_body_hint}</p>
                        {(d.board.anonymous).then(|| view! {
                            <label for="p-name">{tb.display_name}</label>
                            <input id="p-name" name="name" maxlength="60" required=!d.signed_in aria-describedby="p-name-hint"/>
                            <p id="p-name-hint" class="hint">{tb.display_name_hint}</p>
                        })}
                        <fieldset>
                            <legend>{tb.place_legend}</legend>
                            <p class="hint">{tb.place_hint}</p>
                            <label for="p-adresse">{tb.place_address}</label>
                            <input id="p-adresse" name="adresse" maxlength="200" autocomplete="street-address" aria-describedby="p-adresse-hint"/>
                            <p id="p-adresse-hint" class="hint">{tb.place_address_hint}</p>
                            <label for="p-lat">{tb.lat}</label>
                            <input id="p-lat" name="lat" inputmode="decimal" data-pick-lat/>
                            <label for="p-lon">{tb.lon}</label>
                            <input id="p-lon" name="lon" inputmode="decimal" data-pick-lon/>
                            {address_finder(d.tenant.slug.clone(), "p-adresse", "neu-form", "p-adresse-gefunden".into(), None, t.find_address)}
                        </fieldset>
                        {(!d.tags.is_empty()).then(|| view! {
                            <fieldset>
                                <legend>{tb.tags_heading}</legend>
                                {d.tags.into_iter().map(|tg| view! {
                                    <label class="check"><input type="checkbox" name="feld" value=tg.id.to_string()/>" "{tg.name}</label>
                                }).collect_view()}
                            </fieldset>
                        })}
                        <button type="submit">{tb.send}</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}

// ---------------------------------------------------------------------------------------------

#[component]
pub fn ModerationPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    page_with(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                page_number(&query.read()),
            )
        },
        |(slug, page)| get_moderation_page(slug, page),
        |d| view! { <Moderation d/> },
    )
}

#[component]
fn Moderation(d: ModerationData) -> impl IntoView {
    let tb = tb();
    let slug = d.tenant.slug.clone();
    let back = format!("/kommune/{slug}/moderation");
    view! {
        <Title text=format!("{} – {}", tb.queue_title, d.tenant.name)/>
        <nav aria-label="Brotkrumen" class="breadcrumb">
            <a href=format!("/kommune/{slug}/beteiligung")>{tb.boards_title}" – "{d.tenant.name.clone()}</a>
        </nav>
        <h1>{tb.queue_title}" – "{d.tenant.name.clone()}</h1>
        {feedback(notice)}
        <p>{tb.queue_intro}</p>
        {(d.pages > 1).then(|| {
            let link = |n: u64| format!("/kommune/{slug}/moderation?seite={n}");
            view! {
                <nav aria-label=tb.page_of class="pager">
                    {(d.page > 1).then(|| view! { <a href=link(d.page - 1) rel="prev">{tb.page_prev}</a> })}
                    " "<span>{tb.page_of}" "{d.page}" / "{d.pages}" ("{d.total}")"</span>" "
                    {(d.page < d.pages).then(|| view! { <a href=link(d.page + 1) rel="next">{tb.page_next}</a> })}
                </nav>
            }
        })}
        {if d.items.is_empty() {
            view! { <p>{tb.queue_empty}</p> }.into_any()
        } else {
            view! {
                <ol class="queue">
                    {d.items.into_iter().map(|q| {
                        let target: &'static str = if q.target == "comment" { "comment" } else { "post" };
                        let (action, label) = if q.moderation == "visible" { ("ausblenden", tb.hide) } else if q.moderation == "pending" { ("einblenden", tb.approve) } else { ("einblenden", tb.show) };
                        let field = format!("q-{target}-{}", q.id);
                        view! {
                            <li class="card">
                                <p class="post-meta">
                                    {if target == "comment" { tb.comment_word } else { tb.post_word }}" · "{q.created}" · "<span class="author">{q.author}</span>
                                    {q.held_reason.clone().map(|r| view! { " · "<strong>{tb.queue_held}": "{r}</strong> })}
                                </p>
                                <h2><a href=format!("/beitrag/{}", q.post_id)>{q.title}</a></h2>
                                <p class="user-text">{q.excerpt}</p>
                                {(!q.reports.is_empty()).then(|| view! {
                                    <p>{tb.queue_reports}" ("{q.reports.len()}"):"</p>
                                    <ul>{q.reports.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                                })}
                                <form method="post" action=format!("/beitrag/{}/moderieren", q.post_id) class="inline-form">
                                    <input type="hidden" name="ziel" value=target/>
                                    <input type="hidden" name="ziel_id" value=q.id.to_string()/>
                                    <input type="hidden" name="aktion" value=action/>
                                    <input type="hidden" name="weiter" value=back.clone()/>
                                    <label for=field.clone()>{tb.moderation_reason}</label>
                                    <input id=field name="grund" required maxlength="500"/>
                                    <button type="submit">{label}</button>
                                </form>
                                <form method="post" action=format!("/beitrag/{}/erledigt", q.post_id) class="inline">
                                    <input type="hidden" name="ziel" value=target/>
                                    <input type="hidden" name="ziel_id" value=q.id.to_string()/>
                                    <input type="hidden" name="weiter" value=back.clone()/>
                                    <button type="submit" class="secondary">{tb.dismiss}</button>
                                </form>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        <section aria-labelledby="sperren">
            <h2 id="sperren">{tb.bans_heading}</h2>
            {if d.bans.is_empty() {
                view! { <p>{tb.bans_empty}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {d.bans.into_iter().map(|b| view! {
                            <li>
                                {b.created}" · "{b.reason}" · "{b.until.map(|u| format!("{} {u}", tb.until)).unwrap_or_else(|| tb.forever.to_owned())}
                                <form method="post" action=format!("/kommune/{slug}/moderation/sperren/{}/aufheben", b.id) class="inline">
                                    <button type="submit" class="secondary">{tb.lift}</button>
                                </form>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="wortfilter">
            <h2 id="wortfilter">{tb.words_heading}</h2>
            <form method="post" action=format!("/kommune/{slug}/moderation/wortfilter") class="stack">
                <label for="w-liste">{tb.words_heading}</label>
                <textarea id="w-liste" name="woerter" rows="6" aria-describedby="w-hint">{textarea_text(d.words)}</textarea>
                <p id="w-hint" class="hint">{tb.words_hint}</p>
                <button type="submit">{tb.save}</button>
            </form>
        </section>
        <section aria-labelledby="protokoll">
            <h2 id="protokoll">{tb.audit_heading}</h2>
            {if d.audit.is_empty() {
                view! { <p>{tb.audit_empty}</p> }.into_any()
            } else {
                view! {
                    <DataTable label=tb.audit_heading heads=vec![tb.col_when, tb.col_action, tb.col_subject, tb.col_detail]>
                                {d.audit.into_iter().map(|a| view! {
                                    <tr><td>{a.created}</td><td>{a.action}</td><td>{a.subject}</td><td>{a.detail}</td></tr>
                                }).collect_view()}
                    </DataTable>
                }.into_any()
            }}
        </section>
    }
}
