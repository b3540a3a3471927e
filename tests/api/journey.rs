//! One resident's browser going through the application journey as plain HTML forms:
//! shared by the journey's tests and the burst of many residents at once.

use crate::helpers::{TestApp, TestResponse};
use axum::body::Body;
use axum::http::{Request, StatusCode};

pub const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00 a photo of a card";
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
pub const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00 this program cannot be run in DOS mode";

/// A document upload form as the documents step sends it.
pub fn document_form(kind: &str, file_name: &str, content: &[u8]) -> (String, Vec<u8>) {
    crate::fixtures::multipart(&[("jenis", kind)], Some(crate::fixtures::FilePart { field: "berkas", file_name, mime: "image/jpeg", content }))
}

/// One resident's browser: remembers the draft cookie between requests.
pub struct Resident<'a> {
    pub app: &'a TestApp,
    pub cookie: Option<String>,
    /// A front-desk officer's session, when the journey is filled in at a counter.
    pub officer: Option<String>,
    /// The phone's address as a proxy in front of Layan reports it (`X-Forwarded-For`),
    /// when the requests go through one.
    pub from: Option<String>,
}

impl<'a> Resident<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self { app, cookie: None, officer: None, from: None }
    }

    pub fn remember(&mut self, response: &TestResponse) {
        if let Some(value) = response.header("set-cookie").split(';').next().filter(|c| c.trim_start_matches(layan::cookies::HOST_PREFIX).starts_with("layan_draf=")) {
            self.cookie = Some(value.to_string());
        }
    }

    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut h = vec![("origin", "http://127.0.0.1:3000".to_string())];
        let cookies: Vec<&str> = [self.cookie.as_deref(), self.officer.as_deref()].into_iter().flatten().collect();
        if !cookies.is_empty() {
            h.push(("cookie", cookies.join("; ")));
        }
        if let Some(from) = &self.from {
            h.push(("x-forwarded-for", from.clone()));
        }
        h
    }

    pub async fn post(&mut self, path: &str, body: &str) -> TestResponse {
        let headers = self.headers();
        let refs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = self.app.post_form(path, body, &refs).await;
        self.remember(&response);
        response
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        let headers = self.headers();
        let refs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.app.get_with(path, &refs).await
    }

    pub async fn upload(&mut self, kind: &str, file_name: &str, content: &[u8]) -> TestResponse {
        let (content_type, body) = document_form(kind, file_name, content);
        let mut builder = Request::post("/ajukan/dokumen/unggah").header("host", "127.0.0.1:3000").header("content-type", content_type);
        for (k, v) in self.headers() {
            builder = builder.header(k, v);
        }
        self.app.request(builder.body(Body::from(body)).unwrap()).await
    }

    /// Everything up to "check your answers", for `nik` (a woman born 15-05-1987 unless given).
    pub async fn fill_in(&mut self, nik: &str, born: &str, sex: &str, kk: &str) {
        if let Err(problem) = self.try_fill_in(nik, born, sex, kk).await {
            panic!("{problem}");
        }
    }

    /// The same, reporting the first answer that was not "saved, go on" instead of panicking.
    pub async fn try_fill_in(&mut self, nik: &str, born: &str, sex: &str, kk: &str) -> Result<(), String> {
        let steps = [
            ("/ajukan/mulai", "program=rs-rtlh".to_string()),
            ("/ajukan/siapa", "untuk=sendiri".to_string()),
            (
                "/ajukan/data-diri",
                format!("nik={nik}&nama=Siti+Nurhaliza&tanggal_lahir={born}&jenis_kelamin={sex}&telepon=0812+3456+7890&email="),
            ),
            ("/ajukan/alamat", "provinsi=32&kabupaten=3276&kecamatan=327601&desa=3276011006&jalan=Jl.+Melati+3&rt=5&rw=2".to_string()),
            ("/ajukan/keluarga", format!("no_kk={kk}&aksi=lanjut")),
            ("/ajukan/kebutuhan", "kategori=24&program=rs-rtlh&uraian=Atap+rumah+bocor+dan+dinding+retak.".to_string()),
        ];
        for (path, body) in steps {
            let response = self.post(path, &body).await;
            if response.status != StatusCode::SEE_OTHER {
                return Err(format!("{path}: {} {}", response.status, response.body));
            }
        }
        for (kind, content) in [("ktp", JPEG), ("kk", PDF), ("sktm", PDF), ("foto-rumah", JPEG)] {
            let response = self.upload(kind, "dokumen.jpg", content).await;
            if response.status != StatusCode::SEE_OTHER {
                return Err(format!("upload {kind}: {} {}", response.status, response.body));
            }
        }
        Ok(())
    }

    pub async fn key(&self) -> String {
        let page = self.get("/ajukan/periksa").await;
        let at = page.body.find("name=\"kunci\" value=\"").expect("the review page carries the submission key") + 20;
        page.body[at..].split('"').next().unwrap().to_string()
    }

    pub async fn submit(&mut self) -> TestResponse {
        let key = self.key().await;
        self.post("/ajukan/kirim", &format!("kunci={key}&pernyataan=ya")).await
    }

    /// The registration number the receipt shows, if it shows one.
    pub async fn receipt_number(&self) -> Option<String> {
        let page = self.get("/ajukan/selesai").await;
        let at = page.body.find("/lacak?nomor=")? + "/lacak?nomor=".len();
        Some(page.body[at..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect())
    }
}

