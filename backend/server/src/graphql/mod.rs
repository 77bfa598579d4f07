//! The GraphQL API: schema, per-request context, and the HTTP handler. Resolvers are thin: they
//! read the context, call a use case, and map its error once with `.gql()` (see `GqlResult`;
//! a plain `?` would drop the error code).

/// A GraphQL enum mirroring a domain enum variant by variant, with conversions both ways.
macro_rules! gql_enum {
    ($gql:ident, $name:literal, $domain:ty, { $($v:ident),* $(,)? }) => {
        #[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq)]
        #[graphql(name = $name)]
        pub enum $gql { $($v),* }
        impl From<$gql> for $domain {
            fn from(v: $gql) -> Self { match v { $($gql::$v => <$domain>::$v),* } }
        }
        impl From<$domain> for $gql {
            fn from(v: $domain) -> Self { match v { $(<$domain>::$v => $gql::$v),* } }
        }
    };
}

mod accounts;
mod areas;
mod boards;
mod directory;
mod indicators;
mod loaders;
mod surveys;
mod tenancy;

use crate::accounts::{session_token, Viewer};
use crate::kernel::error::{AppError, ErrorCode};
use crate::kernel::state::AppState;
use async_graphql::dataloader::DataLoader;
use async_graphql::{EmptySubscription, ErrorExtensions, MergedObject, Schema, ServerError};
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

#[derive(MergedObject, Default)]
pub struct Query(
    tenancy::TenancyQuery,
    areas::AreasQuery,
    accounts::AccountsQuery,
    indicators::IndicatorsQuery,
    boards::BoardsQuery,
    surveys::SurveysQuery,
    directory::DirectoryQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    accounts::AccountsMutation,
    areas::AreasMutation,
    indicators::IndicatorsMutation,
    boards::BoardsMutation,
    surveys::SurveysMutation,
);

pub type ApiSchema = Schema<Query, Mutation, EmptySubscription>;

/// Nesting deeper than this is refused before execution (a 50-deep query gets an error).
pub const MAX_DEPTH: usize = 12;
pub const MAX_COMPLEXITY: usize = 2_000;

pub fn schema(state: Option<AppState>) -> ApiSchema {
    let mut b = Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY);
    if let Some(s) = state {
        // In production the committed `schema.graphql` is the public contract.
        if !s.settings.dev {
            b = b.disable_introspection();
        }
        b = b.data(s);
    }
    b.finish()
}

/// The longest query document (the operation's text; uploads travel in variables). A real
/// operation of this platform is a few kB; parsing a huge literal costs seconds.
pub const MAX_DOCUMENT_BYTES: usize = 32 * 1024;

/// Complexity of a heavy mutation (an import, a recomputation): more than half of
/// [`MAX_COMPLEXITY`], so one request carries at most one.
pub const HEAVY: usize = MAX_COMPLEXITY / 2 + 1;

/// What a resolver knows about the request.
pub struct RequestCtx {
    pub viewer: Viewer,
    pub token: Option<String>,
    pub client: String,
    /// The device cookie (see `boards::DEVICE_COOKIE`): sent by the client, or minted for this
    /// request and set on the response only if a resolver used it.
    pub device: crate::web::DeviceCookie,
}

/// The one mapping of service errors to GraphQL errors: message plus a stable `code`.
/// (async-graphql converts anything `Display` with `?`, which would drop the code; resolvers
/// therefore call `.gql()` on service results.)
pub(crate) fn gql(e: AppError) -> async_graphql::Error {
    let code = e.detail_code();
    // Refused answers name every question with its problem, so a client can mark them all.
    let problems: Vec<async_graphql::Value> = match &e {
        AppError::Survey(qn_domain::surveys::Refusal::Answers(list)) => list
            .iter()
            .map(|(q, p)| {
                let mut m = async_graphql::indexmap::IndexMap::new();
                m.insert(
                    async_graphql::Name::new("question"),
                    async_graphql::Value::from(q.as_str()),
                );
                m.insert(
                    async_graphql::Name::new("code"),
                    async_graphql::Value::from(p.code()),
                );
                m.insert(
                    async_graphql::Name::new("message"),
                    async_graphql::Value::from(p.to_string()),
                );
                async_graphql::Value::Object(m)
            })
            .collect(),
        _ => Vec::new(),
    };
    async_graphql::Error::new(e.public_message()).extend_with(|_, ext| {
        ext.set("code", code);
        if !problems.is_empty() {
            ext.set("problems", async_graphql::Value::List(problems.clone()));
        }
    })
}

/// An `ID` argument as a database id, or a validation error naming it.
pub(crate) fn parse_id(id: &async_graphql::ID) -> async_graphql::Result<i32> {
    id.parse::<i32>().map_err(|_| {
        gql(AppError::Validation(format!(
            "ungültige ID {}",
            id.as_str()
        )))
    })
}

pub(crate) trait GqlResult<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> GqlResult<T> for Result<T, AppError> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(gql)
    }
}

/// `POST /graphql`. Requests must be JSON (a cross-site form cannot send that without a CORS
/// preflight, which we never grant), and the CSRF layer checks the origin in addition.
pub async fn handler(
    State(state): State<AppState>,
    viewer: Result<Viewer, crate::web::ViewerUnknown>,
    schema: axum::Extension<ApiSchema>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::Validation,
            "Content-Type must be application/json",
        );
    }
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                ErrorCode::Validation,
                &format!("malformed JSON: {e}"),
            )
        }
    };
    if request.query.len() > MAX_DOCUMENT_BYTES {
        return error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::TooLarge,
            &format!(
                "the query document has {} bytes, at most {MAX_DOCUMENT_BYTES} are accepted (send files in variables)",
                request.query.len()
            ),
        );
    }
    // The token itself is kept for `logout`.
    let token = session_token(headers.get(header::COOKIE).and_then(|v| v.to_str().ok()));
    let viewer = match viewer {
        Ok(v) => v,
        Err(crate::web::ViewerUnknown(e)) => {
            return error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::Internal,
                &e.public_message(),
            )
        }
    };
    let loaders = loaders::Loaders::new(&state, &viewer);
    let device = crate::web::DeviceCookie::from_headers(&headers);
    let request = request
        .data(RequestCtx {
            viewer,
            token,
            client: crate::web::client_address(&state.settings, &headers, addr),
            device: device.clone(),
        })
        .data(DataLoader::new(loaders.areas, tokio::spawn))
        .data(DataLoader::new(loaders.levels, tokio::spawn))
        .data(DataLoader::new(loaders.tenants, tokio::spawn));
    let mut response = schema.execute(request).await;
    for e in &mut response.errors {
        ensure_code(e);
    }
    let mut out = axum::Json(&response).into_response();
    for (name, value) in response.http_headers.iter() {
        out.headers_mut().append(name.clone(), value.clone());
    }
    out.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(cookie) = device.set_cookie(state.settings.secure_cookies()) {
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            out.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    out
}

/// Parser and validation errors (syntax, unknown fields, depth) carry no code of ours yet.
fn ensure_code(e: &mut ServerError) {
    let has_code = e
        .extensions
        .as_ref()
        .is_some_and(|x| x.get("code").is_some());
    if !has_code {
        let code = if e.message.contains("nested too deep")
            || e.message.contains("too complex")
            || e.message.contains("recursion depth")
        {
            "QUERY_TOO_COMPLEX"
        } else {
            "BAD_REQUEST"
        };
        e.extensions
            .get_or_insert_with(Default::default)
            .set("code", code);
    }
}

fn error_response(status: StatusCode, code: ErrorCode, message: &str) -> Response {
    (
        status,
        axum::Json(serde_json::json!({"errors": [{"message": message, "extensions": {"code": code.as_str()}}]})),
    )
        .into_response()
}

/// The SDL of the schema, as committed in `schema.graphql`.
pub fn sdl() -> String {
    schema(None).sdl()
}

pub(crate) fn ctx<'a>(
    c: &'a async_graphql::Context<'_>,
) -> async_graphql::Result<(&'a AppState, &'a RequestCtx)> {
    Ok((c.data::<AppState>()?, c.data::<RequestCtx>()?))
}
