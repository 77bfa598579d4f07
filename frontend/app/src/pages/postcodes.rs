//! The planners' postcode table: which Quartiere each postcode touches, so residents can give
//! a postcode in surveys instead of picking their Quartier.

use crate::api::{get_postcodes_page, PostcodesData};
use crate::i18n::{surveys::ts, t};
use crate::pages::by_slug;
use crate::pages::feedback;
use crate::pages::DataTable;
use leptos::prelude::*;
use leptos_meta::Title;

fn notice(code: &str) -> Option<&'static str> {
    (code == "gespeichert").then(|| ts().postcodes_saved)
}

#[component]
pub fn PostcodesPage() -> impl IntoView {
    by_slug(get_postcodes_page, |d| view! { <Postcodes d/> })
}

#[component]
fn Postcodes(d: PostcodesData) -> impl IntoView {
    let t2 = ts();
    let PostcodesData { tenant, entries } = d;
    // One row per postcode with all its areas.
    let mut rows: Vec<(String, Vec<crate::api::AreaLink>)> = Vec::new();
    for e in entries {
        match rows.last_mut() {
            Some((p, list)) if *p == e.postcode => list.push(e.area),
            _ => rows.push((e.postcode, vec![e.area])),
        }
    }
    view! {
        <Title text=t2.postcodes_title/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>
            " › "
            <a href=format!("/kommune/{}/umfragen", tenant.slug)>{t2.nav_surveys}</a>
        </nav>
        <h1>{t2.postcodes_title}</h1>
        {feedback(notice)}
        <p class="lead">{t2.postcodes_intro}</p>
        <form method="post" enctype="multipart/form-data" class="stack"
            action=format!("/kommune/{}/postleitzahlen", tenant.slug)>
            <fieldset>
                <legend>{t2.postcodes_upload}</legend>
                <p class="hint" id="plz-format">{t2.postcodes_format}</p>
                <label for="plz-datei">{t2.postcodes_file}</label>
                <input id="plz-datei" name="datei" type="file" accept=".csv,.txt,text/csv" aria-describedby="plz-format"/>
                <label for="plz-text">{t2.postcodes_text}</label>
                <textarea id="plz-text" name="text" rows="6" aria-describedby="plz-format"></textarea>
                <button type="submit">{t2.postcodes_replace}</button>
            </fieldset>
        </form>
        {if rows.is_empty() {
            view! { <p>{t2.postcodes_empty}</p> }.into_any()
        } else {
            view! {
                <DataTable label=t2.postcodes_title heads=vec![t2.postcodes_col_postcode, t2.postcodes_col_areas]>
                            {rows.into_iter().map(|(postcode, areas)| view! {
                                <tr>
                                    <th scope="row">{postcode}</th>
                                    <td>
                                        {areas.into_iter().enumerate().map(|(i, a)| view! {
                                            {(i > 0).then_some(", ")}
                                            <a href=format!("/quartier/{}", a.id)>{a.name}</a>
                                        }).collect_view()}
                                    </td>
                                </tr>
                            }).collect_view()}
                </DataTable>
            }
            .into_any()
        }}
    }
}
