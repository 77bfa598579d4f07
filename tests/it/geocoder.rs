//! Addresses the Kommune's register does not know come from an external geocoder: a real
//! Nominatim (started by `infra/test.sh` from PyPI, serving the made-up town of
//! `tests/fixtures/geocoder/stadt.osm`), asked through `QN_GEOCODER_URL`.

use qn_tests::serde_json::Value;
use qn_tests::*;

/// The peer's address; CI (`QN_REQUIRE_POSTGRES=1`) must have it, elsewhere the test skips.
fn peer() -> Option<String> {
    let url = std::env::var("QN_TEST_GEOCODER_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() && std::env::var("QN_REQUIRE_POSTGRES").as_deref() == Ok("1") {
        panic!("QN_TEST_GEOCODER_URL is not set: infra/test.sh starts Nominatim for this test");
    }
    url
}

fn names(r: &Value) -> Vec<String> {
    r["data"]["locateAddress"]["areas"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

db_test!(
    addresses_the_register_lacks_come_from_the_geocoder,
    settings: |s: &mut quartiersnetz::kernel::settings::Settings| s.geocoder_url = peer(),
    |app: TestApp| async move {
        if app.state.geocoder.is_none() {
            eprintln!("skipped: no QN_TEST_GEOCODER_URL (infra/test.sh starts Nominatim)");
            return;
        }
        CityBuilder::new("stadt").build(&app).await;
        let visitor = app.other_client();
        let find = |a: &'static str| locate_address(&visitor, "stadt", a);

        // No register: the geocoder's house, and the Quartier it lies in.
        let r = find("Lindenallee 7, 12345 Stadt").await;
        assert_eq!(r["data"]["locateAddress"]["lon"].as_f64(), Some(7.005), "{r}");
        assert_eq!(r["data"]["locateAddress"]["lat"].as_f64(), Some(50.005), "{r}");
        assert_eq!(names(&r), ["Nord", "Altdorf"], "{r}");
        // Nominatim answers an unknown number with the street: that is not the house.
        assert_eq!(error_code(&find("Lindenallee 99").await), "ADDRESS_UNKNOWN");
        // One street and number in two postcodes: the postcode decides.
        let r = find("Ringstraße 3").await;
        assert_eq!(error_code(&r), "ADDRESS_AMBIGUOUS", "{r}");
        assert!(
            r["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("12345 Stadt") && m.contains("12399 Stadt")),
            "{r}"
        );
        let r = find("Ringstraße 3, 12399").await;
        assert_eq!(names(&r), ["Süd", "Domplatz"], "{r}");
        // A house outside the Kommune's areas is not one of its addresses.
        assert_eq!(error_code(&find("Fernweg 1").await), "ADDRESS_UNKNOWN");

        // A provider gives only the address; the entry lands on the geocoder's house.
        let provider = app.other_client();
        provider.sign_in_as("verein@nachbarn.test", None).await;
        let to = provider
            .post_form(
                "/kommune/stadt/anbieten",
                &[
                    ("name", "Lindentreff"),
                    ("art", "verein"),
                    ("strasse", "Lindenallee 7"),
                    ("plz", "12345"),
                ],
            )
            .await;
        assert!(to.ends_with("?hinweis=wartet"), "{to}");
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM directory_actors WHERE lon > 7.00499 AND lon < 7.00501 AND lat > 50.00499 AND lat < 50.00501"
            )
            .await,
            1
        );

        // With a register, its houses come first; what it lacks still comes from the geocoder.
        let register = "strasse;hausnummer;plz;ort;lon;lat\nLindenallee;7;12345;Stadt;7.0061;50.0061\n";
        let to = upload_address_register(&app, "stadt", register, "EPSG:25832").await;
        assert!(to.contains("hinweis=gespeichert"), "{to}");
        let r = find("Lindenallee 7").await;
        assert_eq!(r["data"]["locateAddress"]["lon"].as_f64(), Some(7.0061), "{r}");
        let r = find("Lindenallee 9").await;
        assert_eq!(r["data"]["locateAddress"]["lon"].as_f64(), Some(7.0055), "{r}");
    }
);

db_test!(
    a_geocoder_that_does_not_answer_is_said_so,
    // A port nothing listens on.
    settings: |s: &mut quartiersnetz::kernel::settings::Settings| s.geocoder_url = Some(format!("http://127.0.0.1:{}", closed_port())),
    |app: TestApp| async move {
        CityBuilder::new("stadt").build(&app).await;
        let r = locate_address(&app, "stadt", "Lindenallee 7").await;
        assert_eq!(error_code(&r), "ADDRESS_LOOKUP_FAILED", "{r}");
        assert!(
            r["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("konnte gerade nicht gesucht werden")),
            "{r}"
        );
    }
);

/// A local port that was free a moment ago (bound, then released).
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(9)
}
