//! The administration page of a tenant (`/kommune/{slug}/verwaltung`: people, roles,
//! invitations and the log of role changes) and the page that accepts an invitation.

use crate::api::{get_invitation, get_members_page, MembersData};
use crate::i18n::accounts::role_label;
use crate::i18n::members::{action_label, tm};
use crate::i18n::t;
use crate::pages::by_slug;
use crate::pages::DataTable;
use crate::pages::{feedback, use_query_map, TableWrap};
use crate::LoadingText;
use leptos::prelude::*;
use leptos_meta::Title;

fn notice(code: &str) -> Option<&'static str> {
    let t = tm();
    Some(match code {
        "vergeben" => t.saved_granted,
        "eingeladen" => t.saved_invited,
        "entzogen" => t.saved_revoked,
        "gesperrt" => t.saved_suspended,
        "freigegeben" => t.saved_restored,
        "zurueckgezogen" => t.saved_withdrawn,
        _ => return None,
    })
}

#[component]
pub fn MembersPage() -> impl IntoView {
    by_slug(get_members_page, |d| view! { <Members d/> })
}

#[component]
fn Members(d: MembersData) -> impl IntoView {
    let m = tm();
    let MembersData {
        tenant,
        members,
        residents,
        invitations,
        grantable,
        audit,
    } = d;
    // Copy, so every row's forms can use it.
    let slug = StoredValue::new(tenant.slug.clone());
    let action = move |what: &str| format!("/kommune/{}/verwaltung/{what}", slug.get_value());
    view! {
        <Title text=m.title/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>
        </nav>
        <h1>{m.title}</h1>
        {feedback(notice)}
        <p class="lead">{m.intro}</p>
        <form method="post" action=action("einladen") class="stack">
            <fieldset>
                <legend>{m.invite_heading}</legend>
                <p class="hint" id="einladen-hinweis">{m.invite_hint}</p>
                <label for="einladen-email">{m.email}</label>
                <input id="einladen-email" name="email" type="email" autocomplete="off" required
                    aria-describedby="einladen-hinweis"/>
                <label for="einladen-rolle">{m.role}</label>
                <select id="einladen-rolle" name="rolle" required>
                    {grantable.into_iter().map(|r| {
                        let label = role_label(&r);
                        view! { <option value=r>{label}</option> }
                    }).collect_view()}
                </select>
                <button type="submit">{m.invite_submit}</button>
            </fieldset>
        </form>
        <section aria-labelledby="personen">
            <h2 id="personen">{m.people_heading}</h2>
            <p>{m.residents}" "<strong>{residents}</strong></p>
            {if members.is_empty() {
                view! { <p>{m.people_empty}</p> }.into_any()
            } else {
                view! {
                    <p class="hint">{m.suspended_hint}</p>
                    <DataTable label=m.people_heading class="members" heads=vec![m.col_person, m.col_roles, m.col_access]>
                                {members.into_iter().map(|p| {
                                    let person = p.user_id.to_string();
                                    let name = p.display_name.clone();
                                    view! {
                                        <tr>
                                            <th scope="row">
                                                {p.display_name.clone()}
                                                {p.is_self.then(|| view! { " "{m.you} })}
                                                <br/><span class="hint">{p.email.clone()}</span>
                                            </th>
                                            <td>
                                                <ul class="plain">
                                                    {p.roles.iter().map(|r| {
                                                        let label = role_label(r);
                                                        let revocable = r != "resident";
                                                        let aria = format!("{}: {} – {}", name, label, m.revoke);
                                                        view! {
                                                            <li>
                                                                {label.clone()}
                                                                {revocable.then(|| view! {
                                                                    " "
                                                                    <form method="post" action=action("entziehen") class="inline">
                                                                        <input type="hidden" name="person" value=person.clone()/>
                                                                        <input type="hidden" name="rolle" value=r.clone()/>
                                                                        <button type="submit" class="secondary" aria-label=aria>{m.revoke}</button>
                                                                    </form>
                                                                })}
                                                            </li>
                                                        }
                                                    }).collect_view()}
                                                </ul>
                                            </td>
                                            <td>
                                                {if p.suspended { m.suspended } else { m.active }}
                                                {(!p.is_self).then(|| {
                                                    let (what, label) = if p.suspended { ("freigeben", m.restore) } else { ("sperren", m.suspend) };
                                                    let aria = format!("{}: {}", name, label);
                                                    view! {
                                                        <form method="post" action=action(what) class="inline">
                                                            <input type="hidden" name="person" value=person.clone()/>
                                                            " "<button type="submit" class="secondary" aria-label=aria>{label}</button>
                                                        </form>
                                                    }
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                    </DataTable>
                }.into_any()
            }}
        </section>
        {(!invitations.is_empty()).then(|| view! {
            <section aria-labelledby="einladungen">
                <h2 id="einladungen">{m.invitations_heading}</h2>
                <TableWrap label=m.invitations_heading>
                    <table>
                        <caption class="sr-only">{m.invitations_heading}</caption>
                        <thead><tr>
                            <th scope="col">{m.email}</th>
                            <th scope="col">{m.role}</th>
                            <th scope="col">{m.col_valid}</th>
                            <td></td>
                        </tr></thead>
                        <tbody>
                            {invitations.into_iter().map(|i| {
                                let aria = format!("{}: {}", i.email, m.withdraw);
                                view! {
                                    <tr>
                                        <th scope="row">{i.email}</th>
                                        <td>{role_label(&i.role)}</td>
                                        <td>{i.until}</td>
                                        <td>
                                            <form method="post" action=action("zurueckziehen") class="inline">
                                                <input type="hidden" name="einladung" value=i.id.to_string()/>
                                                <button type="submit" class="secondary" aria-label=aria>{m.withdraw}</button>
                                            </form>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableWrap>
            </section>
        })}
        <section aria-labelledby="protokoll">
            <h2 id="protokoll">{m.log_heading}</h2>
            {if audit.is_empty() {
                view! { <p>{m.log_empty}</p> }.into_any()
            } else {
                view! {
                    <DataTable label=m.log_heading heads=vec![m.col_when, m.col_what, m.col_person, m.col_who]>
                                {audit.into_iter().map(|a| view! {
                                    <tr>
                                        <td>{a.when}</td>
                                        <td>
                                            {action_label(&a.action)}
                                            {a.role.map(|r| format!(": {}", role_label(&r)))}
                                        </td>
                                        <td>{a.subject}</td>
                                        <td>{a.actor.unwrap_or_else(|| m.nobody.to_owned())}</td>
                                    </tr>
                                }).collect_view()}
                    </DataTable>
                }.into_any()
            }}
        </section>
    }
}

/// The page behind an invitation link: the account is created by the form's POST, not by
/// opening the link, so a mail scanner that follows links creates nothing.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let m = tm();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let data = Resource::new(token, get_invitation);
    view! {
        <Title text=m.accept_title/>
        <h1>{m.accept_title}</h1>
        {feedback(|_| None)}
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Ok(inv)) => {
                        let intro = m
                            .accept_intro
                            .replace("{kommune}", &inv.tenant_name)
                            .replace("{rolle}", &role_label(&inv.role));
                        let tx = t();
                        view! {
                            <p>{intro}</p>
                            <form method="post" action="/einladung" class="stack">
                                <input type="hidden" name="token" value=token()/>
                                <label for="einladung-email">{m.email}</label>
                                <input id="einladung-email" type="email" value=inv.email readonly autocomplete="username"/>
                                <label for="display_name">{tx.display_name}</label>
                                <input id="display_name" name="name" type="text" autocomplete="name" required maxlength="80"
                                    aria-describedby="display_name_hint"/>
                                <p id="display_name_hint" class="hint">{tx.display_name_hint}</p>
                                <label for="password">{tx.password}</label>
                                <input id="password" name="password" type="password" autocomplete="new-password" required minlength="10"
                                    aria-describedby="password_hint"/>
                                <p id="password_hint" class="hint">{tx.password_hint}</p>
                                <button type="submit">{m.accept_submit}</button>
                            </form>
                        }.into_any()
                    }
                    _ => view! { <p>{m.accept_missing}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
