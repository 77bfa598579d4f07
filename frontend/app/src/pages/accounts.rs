//! Login, registration, password reset and the account page: plain HTML forms posted to the
//! server (see `web::forms`), which redirects back here with `?fehler=CODE` or a notice.

use crate::api::{get_account_page, get_tenants, AccountData};
use crate::i18n::accounts::{role_label, tk};
use crate::i18n::t;
use crate::pages::use_query_map;
use crate::pages::DataTable;
use crate::pages::{feedback, loaded};
use crate::LoadingText;
use leptos::prelude::*;
use leptos_meta::Title;

fn account_notice(code: &str) -> Option<&'static str> {
    let t = t();
    Some(match code {
        "abgemeldet" => t.logged_out,
        "passwort-geaendert" => t.reset_done,
        "gesendet" => t.forgot_sent,
        "konto-geloescht" => tk().deleted,
        "name-geaendert" => tk().name_changed,
        "bestaetigen" => tk().register_sent,
        "willkommen" => tk().welcome,
        "eingeladen" => crate::i18n::members::tm().accepted,
        "rolle" => crate::i18n::members::tm().accepted_existing,
        _ => return None,
    })
}

fn query_value(key: &'static str) -> impl Fn() -> String {
    let q = use_query_map();
    move || q.read().get(key).unwrap_or_default()
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = t();
    let email = query_value("email");
    let next = query_value("weiter");
    view! {
        <Title text=t.login_title/>
        <h1>{t.login_title}</h1>
        {feedback(account_notice)}
        <form method="post" action="/anmelden" class="stack">
            <input type="hidden" name="weiter" value=next/>
            <label for="email">{t.email}</label>
            <input id="email" name="email" type="email" autocomplete="username" required value=email/>
            <label for="password">{t.password}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required/>
            <button type="submit">{t.login_submit}</button>
        </form>
        <p><a href="/passwort-vergessen">{t.forgot_link}</a></p>
        <p>{t.no_account}" "<a href="/registrieren">{t.nav_register}</a></p>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let t = t();
    let email = query_value("email");
    let name = query_value("name");
    let tenants = Resource::new(|| (), |_| get_tenants());
    view! {
        <Title text=t.register_title/>
        <h1>{t.register_title}</h1>
        {feedback(account_notice)}
        <form method="post" action="/registrieren" class="stack">
            <label for="display_name">{t.display_name}</label>
            <input id="display_name" name="display_name" type="text" autocomplete="nickname" required maxlength="80"
                aria-describedby="display_name_hint" value=name/>
            <p id="display_name_hint" class="hint">{t.display_name_hint}</p>
            <label for="email">{t.email}</label>
            <input id="email" name="email" type="email" autocomplete="email" required value=email/>
            <label for="password">{t.password}</label>
            <input id="password" name="password" type="password" autocomplete="new-password" required minlength="10"
                aria-describedby="password_hint"/>
            <p id="password_hint" class="hint">{t.password_hint}</p>
            <label for="tenant">{t.home_kommune}</label>
            <select id="tenant" name="tenant">
                <option value="">{t.home_kommune_none}</option>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        tenants.await.ok().and_then(Result::ok).unwrap_or_default().into_iter().map(|x| view! {
                            <option value=x.slug>{x.name}</option>
                        }).collect_view()
                    })}
                </Suspense>
            </select>
            <p class="hint">{t.register_privacy}</p>
            <button type="submit">{t.register_submit}</button>
        </form>
    }
}

/// The page behind the link in the registration mail. The account is created by the form's
/// POST, not by opening the link, so a mail scanner that follows links creates nothing.
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let tx = tk();
    let token = query_value("token");
    view! {
        <Title text=tx.confirm_title/>
        <h1>{tx.confirm_title}</h1>
        {feedback(account_notice)}
        {move || {
            let token = token();
            if token.is_empty() {
            view! { <p>{tx.confirm_missing}</p> }.into_any()
        } else {
            view! {
                <p>{tx.confirm_intro}</p>
                <form method="post" action="/konto-bestaetigen" class="stack">
                    <input type="hidden" name="token" value=token/>
                    <button type="submit">{tx.confirm_submit}</button>
                </form>
            }.into_any()
        }}}
    }
}

#[component]
pub fn ForgotPage() -> impl IntoView {
    let t = t();
    view! {
        <Title text=t.forgot_title/>
        <h1>{t.forgot_title}</h1>
        {feedback(account_notice)}
        <p>{t.forgot_intro}</p>
        <form method="post" action="/passwort-vergessen" class="stack">
            <label for="email">{t.email}</label>
            <input id="email" name="email" type="email" autocomplete="email" required/>
            <button type="submit">{t.forgot_submit}</button>
        </form>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let t = t();
    let token = query_value("token");
    view! {
        <Title text=t.reset_title/>
        <h1>{t.reset_title}</h1>
        {feedback(account_notice)}
        <form method="post" action="/passwort-neu" class="stack">
            <input type="hidden" name="token" value=token/>
            <label for="password">{t.password}</label>
            <input id="password" name="password" type="password" autocomplete="new-password" required minlength="10"
                aria-describedby="password_hint"/>
            <p id="password_hint" class="hint">{t.password_hint}</p>
            <button type="submit">{t.reset_submit}</button>
        </form>
    }
}

/// "Mein Konto": the person's facts and roles, a name change, what is stored about them with
/// the download (DSGVO Art. 15, 20), and deleting the account (Art. 17).
#[component]
pub fn AccountPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_account_page());
    view! {
        <Title text=tk().title/>
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Err(e)) if e.code == "UNAUTHENTICATED" => view! {
                        <h1>{tk().title}</h1>
                        <p>
                            {tk().sign_in_first}" "
                            <a href="/anmelden?weiter=/konto">{t().nav_login}</a>
                        </p>
                    }.into_any(),
                    other => loaded(other, |d| view! { <Account d/> }.into_any()),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Account(d: AccountData) -> impl IntoView {
    let k = tk();
    let AccountData {
        email,
        display_name,
        since,
        memberships,
        counts: c,
    } = d;
    let stored: Vec<(u64, &str)> = [
        (c.posts, k.count_posts),
        (c.comments, k.count_comments),
        (c.supports, k.count_supports),
        (c.follows, k.count_follows),
        (c.reports, k.count_reports),
        (c.actors, k.count_actors),
        (c.surveys_answered, k.count_surveys),
        (c.audit_entries, k.count_audit),
        (c.mails, k.count_mails),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .collect();
    view! {
        <h1>{k.title}</h1>
        {feedback(account_notice)}
        <section aria-labelledby="konto-angaben">
            <h2 id="konto-angaben">{k.facts}</h2>
            <dl class="facts">
                <dt>{t().display_name}</dt><dd>{display_name.clone()}</dd>
                <dt>{k.email}</dt><dd>{email}</dd>
                <dt>{k.since}</dt><dd>{since}</dd>
            </dl>
            <h3>{k.roles}</h3>
            {if memberships.is_empty() {
                view! { <p>{k.roles_none}</p> }.into_any()
            } else {
                view! {
                    <DataTable label=k.roles heads=vec![k.col_kommune, k.col_role]>
                                {memberships.into_iter().map(|m| view! {
                                    <tr>
                                        <td><a href=format!("/kommune/{}", m.slug)>{m.kommune}</a></td>
                                        <td>
                                            {role_label(&m.role)}
                                            {(m.role == "admin").then(|| view! {
                                                " · "<a href=format!("/kommune/{}/verwaltung", m.slug)>{crate::i18n::members::tm().nav}</a>
                                            })}
                                        </td>
                                    </tr>
                                }).collect_view()}
                    </DataTable>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="konto-name">
            <h2 id="konto-name">{k.name_heading}</h2>
            <form method="post" action="/konto/name" class="stack">
                <label for="display_name">{t().display_name}</label>
                <input id="display_name" name="display_name" type="text" autocomplete="nickname"
                    required maxlength="80" value=display_name aria-describedby="display_name_hint"/>
                <p id="display_name_hint" class="hint">{k.name_hint}</p>
                <button type="submit">{k.name_submit}</button>
            </form>
        </section>
        <section aria-labelledby="konto-daten">
            <h2 id="konto-daten">{k.data_heading}</h2>
            {if stored.is_empty() {
                view! { <p>{k.data_none}</p> }.into_any()
            } else {
                view! {
                    <p>{k.data_intro}</p>
                    <ul class="counts">
                        {stored.into_iter().map(|(n, label)| view! {
                            <li><strong>{n}</strong>" "{label}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p class="hint">{k.data_surveys_note}</p>
            <p>
                <a href="/konto/daten.json" download="quartiersnetz-meine-daten.json"
                    aria-describedby="konto-download-hint">{k.data_download}</a>
            </p>
            <p id="konto-download-hint" class="hint">{k.data_download_hint}</p>
        </section>
        <section aria-labelledby="konto-loeschen">
            <h2 id="konto-loeschen">{k.delete_heading}</h2>
            <p>{k.delete_intro}</p>
            <form method="post" action="/konto/loeschen" class="stack">
                <label for="delete-password">{k.delete_password}</label>
                <input id="delete-password" name="password" type="password"
                    autocomplete="current-password" required/>
                <div class="check">
                    <input id="delete-confirm" name="bestaetigung" type="checkbox" value="ja" required/>
                    <label for="delete-confirm">{k.delete_confirm}</label>
                </div>
                <button type="submit" class="danger">{k.delete_submit}</button>
            </form>
        </section>
    }
}
