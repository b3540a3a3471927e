//! Reading our cookies out of `Cookie:` headers, the same way everywhere, and the one
//! policy for every cookie Layan sets behind https (`Secure`; `__Host-` names where the
//! path is `/`), applied to requests and responses by the server's middleware so that the
//! code setting and reading a cookie uses its plain name.

/// The value of cookie `name` in one `Cookie:` header value (`a=1; b=2`).
pub fn find<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').filter_map(|pair| pair.trim().split_once('=')).find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// Every `Cookie:` header of a request (a browser may split them), as text.
#[cfg(feature = "ssr")]
pub fn headers(headers: &axum::http::HeaderMap) -> impl Iterator<Item = &str> {
    headers.get_all(axum::http::header::COOKIE).into_iter().filter_map(|v| v.to_str().ok())
}

/// The prefix browsers accept only on a `Secure`, host-only cookie with `Path=/`: a
/// neighbouring subdomain or a plain-http page cannot plant or overwrite it.
pub const HOST_PREFIX: &str = "__Host-";

/// Behind https: a `Set-Cookie` value with `Secure`, and the `__Host-` name when its path
/// is `/`.
pub fn secure_set_cookie(value: &str) -> String {
    let whole_site = value.split(';').skip(1).any(|a| a.trim().eq_ignore_ascii_case("path=/"));
    let has_domain = value.split(';').skip(1).any(|a| a.trim().to_ascii_lowercase().starts_with("domain="));
    let mut out = if whole_site && !has_domain && !value.starts_with(HOST_PREFIX) { format!("{HOST_PREFIX}{value}") } else { value.to_string() };
    if !value.split(';').skip(1).any(|a| a.trim().eq_ignore_ascii_case("secure")) {
        out.push_str("; Secure");
    }
    out
}

/// Behind https: the cookies of one `Cookie:` header as the code reads them. A `__Host-`
/// cookie loses its prefix; a cookie of one of `host_names` sent *without* the prefix was
/// not set by us over https (planted by another site or over http) and is dropped.
pub fn from_host_cookies(header: &str, host_names: &[&str]) -> String {
    header
        .split(';')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .filter_map(|pair| {
            let name = pair.split_once('=').map(|(n, _)| n).unwrap_or(pair);
            match pair.strip_prefix(HOST_PREFIX) {
                Some(plain) => Some(plain),
                None if host_names.contains(&name) => None,
                None => Some(pair),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behind_https_cookies_are_secure_and_whole_site_ones_host_only() {
        assert_eq!(
            secure_set_cookie("layan_draf=abc; Path=/; Max-Age=60; SameSite=Lax; HttpOnly"),
            "__Host-layan_draf=abc; Path=/; Max-Age=60; SameSite=Lax; HttpOnly; Secure"
        );
        assert_eq!(
            secure_set_cookie("layan_lacak=abc; Path=/lacak; Max-Age=60; SameSite=Strict; HttpOnly"),
            "layan_lacak=abc; Path=/lacak; Max-Age=60; SameSite=Strict; HttpOnly; Secure"
        );
        assert_eq!(secure_set_cookie("a=1; Path=/; Secure"), "__Host-a=1; Path=/; Secure");
    }

    #[test]
    fn behind_https_a_whole_site_cookie_without_its_prefix_is_not_believed() {
        let names = ["layan_draf", "layan_petugas"];
        assert_eq!(from_host_cookies("__Host-layan_draf=abc; layan_lacak=x", &names), "layan_draf=abc; layan_lacak=x");
        assert_eq!(from_host_cookies("layan_petugas=planted; other=1", &names), "other=1");
        assert_eq!(from_host_cookies("", &names), "");
    }

    #[test]
    fn cookies_are_found_by_exact_name() {
        assert_eq!(find("a=1; layan_lang=en; b=2", "layan_lang"), Some("en"));
        assert_eq!(find("xlayan_lang=en", "layan_lang"), None);
        assert_eq!(find("", "a"), None);
        assert_eq!(find("a=x=y", "a"), Some("x=y"));
    }
}
