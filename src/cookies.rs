//! Reading our cookies out of `Cookie:` headers, the same way everywhere.

/// The value of cookie `name` in one `Cookie:` header value (`a=1; b=2`).
pub fn find<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').filter_map(|pair| pair.trim().split_once('=')).find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// Every `Cookie:` header of a request (a browser may split them), as text.
#[cfg(feature = "ssr")]
pub fn headers(headers: &axum::http::HeaderMap) -> impl Iterator<Item = &str> {
    headers.get_all(axum::http::header::COOKIE).into_iter().filter_map(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_exact_name() {
        assert_eq!(find("a=1; layan_lang=en; b=2", "layan_lang"), Some("en"));
        assert_eq!(find("xlayan_lang=en", "layan_lang"), None);
        assert_eq!(find("", "a"), None);
        assert_eq!(find("a=x=y", "a"), Some("x=y"));
    }
}
