//! The service's routes as names, for the layers that treat them differently:
//! which need an API key, which are rate limited, and the `route` label of the
//! metrics (a fixed set, so that probing paths cannot grow the metrics).

/// One of the service's routes, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    /// `POST /v1/check`.
    Check,
    /// `POST /v1/check/batch`.
    CheckBatch,
    /// `GET /v1/dictionaries`.
    Dictionaries,
    /// `/v2/check`, LanguageTool's.
    LanguageToolCheck,
    /// `/v2/languages`, `/v2/info`.
    LanguageToolInfo,
    /// `GET /v2/healthcheck`.
    LanguageToolHealth,
    /// `GET /healthz`.
    Health,
    /// `GET /openapi.yaml`.
    OpenApi,
    /// `GET /problems/{slug}`.
    Problems,
    /// `GET /metrics`.
    Metrics,
    /// No route has this path.
    Unmatched,
}

impl Route {
    /// The route of a request path.
    pub fn of(path: &str) -> Route {
        match path {
            "/v1/check" => Route::Check,
            "/v1/check/batch" => Route::CheckBatch,
            "/v1/dictionaries" => Route::Dictionaries,
            "/v2/check" => Route::LanguageToolCheck,
            "/v2/languages" | "/v2/info" => Route::LanguageToolInfo,
            "/v2/healthcheck" => Route::LanguageToolHealth,
            "/healthz" => Route::Health,
            "/openapi.yaml" => Route::OpenApi,
            "/metrics" => Route::Metrics,
            _ if path.starts_with("/problems/") => Route::Problems,
            _ => Route::Unmatched,
        }
    }

    /// The `route` label of the metrics.
    pub fn label(self) -> &'static str {
        match self {
            Route::Check => "/v1/check",
            Route::CheckBatch => "/v1/check/batch",
            Route::Dictionaries => "/v1/dictionaries",
            Route::LanguageToolCheck => "/v2/check",
            Route::LanguageToolInfo => "/v2/info",
            Route::LanguageToolHealth => "/v2/healthcheck",
            Route::Health => "/healthz",
            Route::OpenApi => "/openapi.yaml",
            Route::Problems => "/problems",
            Route::Metrics => "/metrics",
            Route::Unmatched => "unmatched",
        }
    }

    /// Whether the route stays open without an API key (unless the operator
    /// closes it): health checks for load balancers, the API description and
    /// the problem explanations.
    pub fn open_without_key(self) -> bool {
        matches!(
            self,
            Route::Health | Route::LanguageToolHealth | Route::OpenApi | Route::Problems
        )
    }

    /// Whether the route is left out of rate limits: a load balancer's probes
    /// and the operator's scrapes must not be refused because clients behind the
    /// same address are busy.
    pub fn exempt_from_rate_limits(self) -> bool {
        matches!(
            self,
            Route::Health | Route::LanguageToolHealth | Route::Metrics
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_a_fixed_set_of_labels() {
        assert_eq!(Route::of("/v1/check"), Route::Check);
        assert_eq!(Route::of("/v1/check/"), Route::Unmatched);
        assert_eq!(Route::of("/problems/rate-limited").label(), "/problems");
        assert_eq!(Route::of("/wp-admin/x.php").label(), "unmatched");
        assert!(Route::Health.open_without_key() && !Route::Metrics.open_without_key());
        assert!(!Route::Check.exempt_from_rate_limits());
    }
}
