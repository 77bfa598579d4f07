//! Login, registration and password reset: plain HTML forms posted to the server
//! (see `web::forms`), which redirects back here with `?fehler=CODE` or a notice.

use crate::api::get_tenants;
use crate::i18n::t;
use crate::pages::feedback;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn account_notice(code: &str) -> Option<&'static str> {
    let t = t();
    Some(match code {
        "abgemeldet" => t.logged_out,
        "passwort-geaendert" => t.reset_done,
        "gesendet" => t.forgot_sent,
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
