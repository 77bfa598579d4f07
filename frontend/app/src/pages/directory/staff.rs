//! The staff's pages: review, bulk import, categories.

use super::*;
use crate::pages::{by_slug, page_with};

#[component]
pub fn ReviewPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    page_with(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                page_number(&query.read()),
            )
        },
        |(slug, page)| get_review_page(slug, page),
        |d| view! { <Review d/> },
    )
}

#[component]
pub(super) fn Review(d: ReviewData) -> impl IntoView {
    let td = td();
    let ReviewData {
        tenant,
        items,
        total,
        page,
        pages,
    } = d;
    let action = format!("/kommune/{}/angebote/pruefen", tenant.slug);
    let pager = (pages > 1).then(|| {
        let link = |n: u64| format!("/kommune/{}/angebote/pruefen?seite={n}", tenant.slug);
        view! {
            <nav aria-label=td.page_of class="pager">
                {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev">{td.page_prev}</a> })}
                " "<span>{td.page_of}" "{page}" / "{pages}" ("{total}")"</span>" "
                {(page < pages).then(|| view! { <a href=link(page + 1) rel="next">{td.page_next}</a> })}
            </nav>
        }
    });
    view! {
        <Title text=td.review_title/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>" › "
            <a href=format!("/kommune/{}/angebote", tenant.slug)>{td.nav_offers}</a>
        </nav>
        <h1>{td.review_title}</h1>
        {feedback(notice)}
        <p class="lead">{td.review_intro}</p>
        {pager}
        {if items.is_empty() { view! { <p>{td.review_empty}</p> }.into_any() } else {
            view! {
                <ul class="cards">
                    {items.into_iter().map(|i| {
                        let href = if i.kind == "actor" { format!("/akteur/{}", i.id) } else { format!("/angebot/{}", i.id) };
                        let key = format!("{}-{}", i.kind, i.id);
                        view! {
                            <li class="card">
                                <h2 class="h3"><a href=href>{i.name.clone()}</a></h2>
                                <p class="meta">
                                    {if i.kind == "actor" { td.review_actor } else { td.review_offer }}
                                    {(i.kind != "actor").then(|| view! { " · "<a href=format!("/akteur/{}", i.actor_id)>{i.actor.clone()}</a> })}
                                    " · "{i.since.clone()}" · "
                                    {match i.changed.clone() {
                                        None => td.review_new.to_owned(),
                                        Some(fields) => format!("{} {}", td.review_changed, fields.join(", ")),
                                    }}
                                </p>
                                <p class="meta">
                                    {match i.point {
                                        Some((lon, lat)) => format!("{} {lat:.5}, {lon:.5}", td.review_point),
                                        None => td.review_no_point.to_owned(),
                                    }}
                                    {(!i.areas.is_empty()).then(|| view! { " · "{td.offer_areas}": "{area_links(i.areas.clone())} })}
                                </p>
                                <form method="post" action=action.clone() class="inline">
                                    <input type="hidden" name="art" value=i.kind.clone()/>
                                    <input type="hidden" name="id" value=i.id.to_string()/>
                                    <input type="hidden" name="aktion" value="freigeben"/>
                                    <div class="check">
                                        <input type="checkbox" id=format!("vertrauen-{key}") name="vertrauen" value="1"/>
                                        <label for=format!("vertrauen-{key}")>{td.trust}</label>
                                    </div>
                                    // The entry's name in each button: a screen reader's list of buttons tells them apart.
                                    <button type="submit" aria-label=format!("{}: {}", td.approve, i.name)>{td.approve}</button>
                                </form>
                                <form method="post" action=action.clone() class="inline">
                                    <input type="hidden" name="art" value=i.kind.clone()/>
                                    <input type="hidden" name="id" value=i.id.to_string()/>
                                    <input type="hidden" name="aktion" value="ablehnen"/>
                                    <label for=format!("grund-{key}")>{td.reason}</label>
                                    <input id=format!("grund-{key}") name="grund" required/>
                                    <button type="submit" class="secondary" aria-label=format!("{}: {}", td.reject, i.name)>{td.reject}</button>
                                </form>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
pub fn DirectoryImportPage() -> impl IntoView {
    by_slug(get_directory_import_page, |d| view! { <Import d/> })
}

#[component]
pub(super) fn Import(d: DirectoryImportData) -> impl IntoView {
    let td = td();
    let DirectoryImportData {
        tenant,
        populations,
        categories,
    } = d;
    let groups = target_groups();
    let category_keys = categories
        .iter()
        .map(|(k, l)| format!("{k} ({l})"))
        .collect::<Vec<_>>()
        .join(", ");
    let coverage_action = format!("/kommune/{}/angebote/versorgung", tenant.slug);
    let query = use_query_map();
    let report = move || query.read().get("bericht");
    let field = |id: &'static str, label: &'static str, value: &'static str| {
        view! {
            <label for=id>{label}</label>
            <input id=id name=id value=value/>
        }
    };
    view! {
        <Title text=td.import_title/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>" › "
            <a href=format!("/kommune/{}/angebote", tenant.slug)>{td.nav_offers}</a>
        </nav>
        <h1>{td.import_title}</h1>
        {feedback(notice)}
        {move || report().map(|r| view! { <p class="notice notice-info" role="status">{r}</p> })}
        <p class="lead">{td.import_intro}</p>
        <form method="post" enctype="multipart/form-data" class="stack" action=format!("/kommune/{}/angebote/import", tenant.slug)>
            <label for="datei">{td.import_file}</label>
            <input id="datei" name="datei" type="file" accept=".geojson,.json,.csv,.txt" required/>
            <fieldset>
                <legend>{td.import_mapping}</legend>
                {field("feld_titel", td.import_title_field, "name")}
                {field("feld_akteur", td.import_actor_field, "")}
                {field("feld_beschreibung", td.import_description_field, "beschreibung")}
                {field("feld_website", td.import_website_field, "website")}
                {field("feld_strasse", td.street, "strasse")}
                {field("feld_plz", td.postcode, "plz")}
                {field("feld_ort", td.city, "ort")}
                {field("feld_lon", td.lon, "lon")}
                {field("feld_lat", td.lat, "lat")}
                {field("feld_id", td.import_id_field, "")}
            </fieldset>
            <fieldset>
                <legend>{td.import_values}</legend>
                {field("quelle", td.import_source, "import")}
                <label for="art">{td.actor_kind}</label>
                <select id="art" name="art">
                    {taxonomy::ACTOR_KINDS.iter().map(|(k, l)| view! { <option value=*k>{*l}</option> }).collect_view()}
                </select>
                <p class="hint" id="schluessel">{td.import_keys_hint}</p>
                <label for="kategorien">{td.categories}</label>
                <input id="kategorien" name="kategorien" required aria-describedby="schluessel kategorien-liste"/>
                <p class="hint" id="kategorien-liste">{td.categories_in_import}" "{category_keys}" "
                    <a href=format!("/kommune/{}/angebote/kategorien", tenant.slug)>{td.categories_link}</a>
                </p>
                <label for="zielgruppen">{td.target_groups}</label>
                <input id="zielgruppen" name="zielgruppen" aria-describedby="schluessel"/>
                <label for="sprachen">{td.languages}</label>
                <input id="sprachen" name="sprachen" value="de" aria-describedby="schluessel"/>
                <div class="inline-fields">
                    <label for="alter_von">{td.age_from}</label>
                    <input id="alter_von" name="alter_von" type="number" min="0" max="120"/>
                    <label for="alter_bis">{td.age_to}</label>
                    <input id="alter_bis" name="alter_bis" type="number" min="0" max="120"/>
                </div>
                <label for="kosten">{td.cost}</label>
                <select id="kosten" name="kosten">
                    {taxonomy::COSTS.iter().map(|(k, l)| view! { <option value=*k>{*l}</option> }).collect_view()}
                </select>
                <label for="text">{td.import_text}</label>
                <textarea id="text" name="text" rows="2"></textarea>
            </fieldset>
            <div class="check"><input type="checkbox" id="nur_pruefen" name="nur_pruefen" value="1"/><label for="nur_pruefen">{td.import_dry_run}</label></div>
            <button type="submit">{td.import_button}</button>
        </form>
        <section aria-labelledby="versorgung">
            <h2 id="versorgung">{td.coverage_title}</h2>
            <p>{td.coverage_intro}</p>
            {if populations.is_empty() {
                view! { <p>{td.coverage_none}</p> }.into_any()
            } else {
                view! {
                    <form method="post" action=coverage_action class="stack">
                        <label for="v-zielgruppe">{td.coverage_group}</label>
                        <select id="v-zielgruppe" name="zielgruppe">
                            {groups.into_iter().map(|(k, l)| view! { <option value=k>{l}</option> }).collect_view()}
                        </select>
                        {checks("kategorie", td.coverage_categories, categories, &[])}
                        <label for="v-bevoelkerung">{td.coverage_population}</label>
                        <select id="v-bevoelkerung" name="bevoelkerung">
                            {populations.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                        </select>
                        <button type="submit">{td.coverage_button}</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn CategoriesPage() -> impl IntoView {
    by_slug(get_categories_page, |d| view! { <Categories d/> })
}

/// One form per change, each a plain POST: renaming has its own labelled field per row; the
/// buttons name their category for screen readers.
#[component]
pub(super) fn Categories(d: CategoriesData) -> impl IntoView {
    let td = td();
    let CategoriesData { tenant, categories } = d;
    let action = format!("/kommune/{}/angebote/kategorien", tenant.slug);
    let last = categories.len().saturating_sub(1);
    let rows = categories
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let action = action.clone();
            let field = format!("bezeichnung-{}", c.key);
            let button = |aktion: &'static str, text: &'static str, key: &str, label: &str| {
                view! {
                    <form method="post" action=action.clone() class="inline">
                        <input type="hidden" name="aktion" value=aktion/>
                        <input type="hidden" name="schluessel" value=key.to_owned()/>
                        <button type="submit" class="secondary" aria-label=format!("{text}: {label}")>{text}</button>
                    </form>
                }
            };
            let (key, label) = (c.key.clone(), c.label.clone());
            view! {
                <tr>
                    <td>
                        <form method="post" action=action.clone() class="inline">
                            <input type="hidden" name="aktion" value="umbenennen"/>
                            <input type="hidden" name="schluessel" value=key.clone()/>
                            <label class="sr-only" for=field.clone()>{format!("{}: {}", td.category_label, label)}</label>
                            <input id=field name="bezeichnung" value=label.clone() required maxlength="60"/>
                            <button type="submit" class="secondary" aria-label=format!("{}: {}", td.category_rename, label)>{td.category_rename}</button>
                        </form>
                    </td>
                    <td><code>{key.clone()}</code></td>
                    <td class="num">{c.offers}</td>
                    <td>{if c.retired { td.category_retired } else { td.category_active }}</td>
                    <td>
                        {(i > 0).then(|| button("hoch", td.category_up, &key, &label))}
                        {(i < last).then(|| button("runter", td.category_down, &key, &label))}
                        {if c.retired {
                            button("wiederherstellen", td.category_restore, &key, &label)
                        } else {
                            button("stilllegen", td.category_retire, &key, &label)
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text=td.categories_title/>
        <nav aria-label=t().breadcrumb class="breadcrumb">
            <a href=format!("/kommune/{}", tenant.slug)>{tenant.name.clone()}</a>" › "
            <a href=format!("/kommune/{}/angebote", tenant.slug)>{td.nav_offers}</a>
        </nav>
        <h1>{td.categories_title}</h1>
        {feedback(notice)}
        <p class="lead">{td.categories_intro}</p>
        <TableWrap label=td.categories_title>
            <table>
                <thead>
                    <tr>
                        <th scope="col">{td.category_label}</th>
                        <th scope="col">{td.category_key}</th>
                        <th scope="col" class="num">{td.category_offers}</th>
                        <th scope="col">{td.category_status}</th>
                        <th scope="col">{td.category_actions}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </TableWrap>
        <form method="post" action=action class="stack">
            <input type="hidden" name="aktion" value="hinzufuegen"/>
            <label for="neue-kategorie">{td.category_new}</label>
            <input id="neue-kategorie" name="bezeichnung" required maxlength="60"/>
            <button type="submit">{td.category_add}</button>
        </form>
    }
}
