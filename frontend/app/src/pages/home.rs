//! The start page: choose a Kommune.

use crate::api::{get_tenants, TenantSummary};
use crate::i18n::{kind_label, t};
use crate::pages::{feedback, loaded, ViewerResource};
use crate::LoadingText;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let tenants = Resource::new(|| (), |_| get_tenants());
    let viewer = use_context::<ViewerResource>();
    let t = t();
    view! {
        <Title text=""/>
        <h1>{t.home_title}</h1>
        {feedback(|code| (code == "willkommen").then(|| crate::i18n::accounts::tk().welcome))}
        <p class="lead">{t.home_intro}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let mine = match viewer {
                    Some(v) => v.0.await.ok().flatten().map(|v| v.tenants).unwrap_or_default(),
                    None => Vec::new(),
                };
                (!mine.is_empty()).then(|| view! {
                    <nav aria-label=t.my_kommunen class="my-kommunen">
                        <h2>{t.my_kommunen}</h2>
                        <ul class="inline-list">
                            {mine.into_iter().map(|k| view! {
                                <li><a href=format!("/kommune/{}", k.slug)>{k.name}</a></li>
                            }).collect_view()}
                        </ul>
                    </nav>
                })
            })}
        </Suspense>
        <Suspense fallback=LoadingText>
            {move || Suspend::new(async move {
                loaded(tenants.await, |list| view! { <TenantTree list/> }.into_any())
            })}
        </Suspense>
    }
}

/// Kreise with their Kommunen, then the kreisfreie Städte.
#[component]
fn TenantTree(list: Vec<TenantSummary>) -> impl IntoView {
    let t = t();
    if list.is_empty() {
        return view! { <p>{t.home_empty}</p> }.into_any();
    }
    let roots: Vec<TenantSummary> = list
        .iter()
        .filter(|x| x.parent_slug.is_none())
        .cloned()
        .collect();
    view! {
        <h2>{t.home_choose}</h2>
        <ul class="tenant-list">
            {roots
                .into_iter()
                .map(|root| {
                    let members: Vec<TenantSummary> = list
                        .iter()
                        .filter(|x| x.parent_slug.as_deref() == Some(root.slug.as_str()))
                        .cloned()
                        .collect();
                    view! {
                        <li>
                            <a href=format!("/kommune/{}", root.slug)>{root.name.clone()}</a>
                            " "<span class="kind">"("{kind_label(&root.kind)}")"</span>
                            {(!members.is_empty()).then(|| view! {
                                <ul aria-label=format!("{} {}", t.kommunen_im_kreis, root.name)>
                                    {members.into_iter().map(|m| view! {
                                        <li><a href=format!("/kommune/{}", m.slug)>{m.name}</a></li>
                                    }).collect_view()}
                                </ul>
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
