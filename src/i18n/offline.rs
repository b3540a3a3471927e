//! The words of the page the service worker shows when the signal is gone (`/luring`):
//! what was kept on this phone, what was not sent, and what to do. Server-rendered once and
//! kept by the worker, so the worker itself carries no words.

pub struct OfflineTexts {
    pub title: &'static str,
    /// A step, an upload or a form was kept on the phone.
    pub kept_heading: &'static str,
    pub kept_body: &'static str,
    /// What was kept has been sent meanwhile.
    pub sent_heading: &'static str,
    pub sent_body: &'static str,
    /// The final submission was tried without signal: nothing was submitted.
    pub not_sent_heading: &'static str,
    pub not_sent_body: &'static str,
    /// A page that was never opened with signal, asked for without it.
    pub no_signal_heading: &'static str,
    pub no_signal_body: &'static str,
    pub list_heading: &'static str,
    pub nothing_kept: &'static str,
    /// What each kind of kept post is, by the address it goes to.
    pub kinds: [(&'static str, &'static str); 7],
    pub send_now: &'static str,
    pub retry_hint: &'static str,
    pub discard: &'static str,
    pub discard_hint: &'static str,
    pub back_home: &'static str,
}

pub static OFFLINE_ID: OfflineTexts = OfflineTexts {
    title: "Tanpa sinyal",
    kept_heading: "Tersimpan di ponsel ini — belum terkirim",
    kept_body: "Isian Anda disimpan di ponsel ini dan akan dikirim ke Dinas Sosial begitu sinyal kembali. \
                Sampai terkirim, isian ini belum diterima siapa pun.",
    sent_heading: "Sudah terkirim",
    sent_body: "Isian yang tadi disimpan di ponsel ini sudah diterima Dinas Sosial. Lanjutkan dari halaman permohonan atau pelacakan.",
    not_sent_heading: "Permohonan BELUM diajukan",
    not_sent_body: "Tidak ada sinyal, jadi permohonan tidak bisa diajukan sekarang. Jawaban Anda tetap ada. \
                    Tekan \u{201c}Ajukan permohonan\u{201d} lagi saat sinyal kembali: permohonan baru diterima \
                    setelah Anda mendapat nomor registrasi.",
    no_signal_heading: "Tidak ada sinyal",
    no_signal_body: "Halaman ini belum pernah dibuka di ponsel ini, jadi tidak bisa ditampilkan tanpa sinyal. Coba lagi saat sinyal kembali.",
    list_heading: "Menunggu dikirim",
    nothing_kept: "Tidak ada isian yang menunggu dikirim.",
    kinds: [
        ("/ajukan/dokumen/unggah", "Foto atau berkas dokumen"),
        ("/ajukan/", "Langkah permohonan"),
        ("/lacak/jawaban", "Perbaikan jawaban"),
        ("/lacak/dokumen", "Dokumen pengganti"),
        ("/lacak/sanggah", "Sanggahan"),
        ("/lacak", "Lacak permohonan"),
        ("/pengaduan", "Pengaduan"),
    ],
    send_now: "Kirim sekarang",
    retry_hint: "Begitu sinyal kembali, ponsel mengirimnya sendiri dan halaman ini berganti dengan jawabannya. Tidak mau menunggu? Tekan \u{201c}Kirim sekarang\u{201d}.",
    discard: "Buang isian yang tersimpan",
    discard_hint: "Di ponsel bersama? Buang isian ini agar orang lain tidak melihatnya. Isian juga terhapus sendiri setelah 7 hari.",
    back_home: "Ke beranda",
};

pub static OFFLINE_EN: OfflineTexts = OfflineTexts {
    title: "No signal",
    kept_heading: "Kept on this phone — not sent yet",
    kept_body: "What you filled in is kept on this phone and will be sent to the social services office as soon as \
                the signal returns. Until then, nobody has received it.",
    sent_heading: "Sent",
    sent_body: "What was kept on this phone has been received by the social services office. Carry on from the application or tracking page.",
    not_sent_heading: "The application has NOT been submitted",
    not_sent_body: "There is no signal, so the application cannot be submitted now. Your answers are still here. \
                    Press \u{201c}Submit application\u{201d} again when the signal returns: the application is only \
                    received once you have a registration number.",
    no_signal_heading: "No signal",
    no_signal_body: "This page has not been opened on this phone before, so it cannot be shown without signal. Try again when the signal returns.",
    list_heading: "Waiting to be sent",
    nothing_kept: "Nothing is waiting to be sent.",
    kinds: [
        ("/ajukan/dokumen/unggah", "Document photo or file"),
        ("/ajukan/", "Application step"),
        ("/lacak/jawaban", "Corrected answer"),
        ("/lacak/dokumen", "Replacement document"),
        ("/lacak/sanggah", "Objection"),
        ("/lacak", "Track an application"),
        ("/pengaduan", "Complaint"),
    ],
    send_now: "Send now",
    retry_hint: "As soon as the signal returns, the phone sends it by itself and this page shows the answer. In a hurry? Press \u{201c}Send now\u{201d}.",
    discard: "Discard what is kept",
    discard_hint: "On a shared phone? Discard it so nobody else sees it. It is also removed by itself after 7 days.",
    back_home: "Home",
};
