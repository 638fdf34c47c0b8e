"""The bilingual texts of the published import templates.

The XLSX template shows Bahasa Indonesia and English side by side whatever the user's language
(a file is passed around an HR office), so these texts are data in both languages, like the
consent texts, rather than gettext message ids.
"""

from __future__ import annotations

#: column -> (Indonesian, English) description, shown as header comments and in the instructions.
COLUMN_HELP: dict[str, tuple[str, str]] = {
    "employee_number": (
        "Nomor induk pegawai (unik per organisasi). Wajib.",
        "Employee number (unique in the organisation). Required.",
    ),
    "name": ("Nama pegawai. Wajib.", "Employee's name. Required."),
    "establishment": (
        "Unit kerja: id, nomor WLKP, atau nama persis. Wajib.",
        "Establishment: its id, WLKP number or exact name. Required.",
    ),
    "employment_type": (
        "Jenis hubungan kerja (pilih dari daftar). Wajib.",
        "Employment type (choose from the list). Required.",
    ),
    "start_date": (
        "Tanggal mulai bekerja, TTTT-BB-HH. Wajib.",
        "Start date, YYYY-MM-DD. Required.",
    ),
    "end_date": (
        "Tanggal berhenti, TTTT-BB-HH; kosongkan bila masih bekerja.",
        "End date, YYYY-MM-DD; leave empty while employed.",
    ),
    "consent_given_by": (
        "Persetujuan diberikan oleh: employee (pegawai) atau guardian (wali).",
        "Consent given by: employee or guardian.",
    ),
    "consent_guardian_name": (
        "Nama wali, bila wali yang memberi persetujuan.",
        "Guardian's name, when a guardian consented.",
    ),
    "consent_method": (
        "Cara persetujuan: written, electronic, recorded_oral.",
        "How consent was given: written, electronic, recorded_oral.",
    ),
    "consent_date": ("Tanggal persetujuan, TTTT-BB-HH.", "Date of consent, YYYY-MM-DD."),
    "consent_text_version": (
        "Versi teks persetujuan yang ditunjukkan, mis. 2026-11.",
        "Version of the consent text shown, e.g. 2026-11.",
    ),
    "disability_categories": (
        "Ragam disabilitas (UU 8/2016 Pasal 4), dipisah titik koma: physical; intellectual; "
        "mental; sensory; multiple. Hanya dengan persetujuan.",
        "Categories of disability (UU 8/2016 Art. 4), separated by semicolons: physical; "
        "intellectual; mental; sensory; multiple. Only with consent.",
    ),
    "accommodation": ("Akomodasi yang layak yang diberikan.", "Reasonable accommodation provided."),
    "evidence_type": (
        "Jenis bukti: kpd, medical_letter, uld_assessment, self_declaration.",
        "Evidence type: kpd, medical_letter, uld_assessment, self_declaration.",
    ),
    "evidence_number": (
        "Nomor bukti, mis. nomor Kartu Penyandang Disabilitas.",
        "Evidence number, e.g. the disability card (KPD) number.",
    ),
    "evidence_date": ("Tanggal bukti, TTTT-BB-HH.", "Evidence date, YYYY-MM-DD."),
    "evidence_expires_on": ("Tanggal bukti berakhir, TTTT-BB-HH.", "Evidence expiry, YYYY-MM-DD."),
    "month": ("Bulan, TTTT-BB (mis. 2025-01). Wajib.", "Month, YYYY-MM (e.g. 2025-01). Required."),
}
TYPE_HELP = (
    "Jumlah pekerja dengan jenis hubungan kerja ini (bilangan bulat, 0 atau lebih).",
    "Number of workers of this employment type (a whole number, 0 or more).",
)

INSTRUCTIONS: dict[str, dict[str, list[str]]] = {
    "roster": {
        "id": [
            "Petunjuk impor daftar pegawai penyandang disabilitas",
            "Isi lembar 'Data', satu baris per pegawai. Jangan mengubah baris judul kolom.",
            "Pegawai dicocokkan menurut nomor induk: nomor yang sudah ada diperbarui, yang baru "
            "ditambahkan. Mengimpor berkas yang sama dua kali tidak mengubah apa pun.",
            "Persetujuan dahulu (UU 27/2022 Pasal 26): kolom disabilitas hanya boleh diisi bila "
            "kolom persetujuan (oleh, cara, tanggal, versi teks) terisi.",
            "Kolom disabilitas yang dikosongkan tidak menghapus data yang sudah tersimpan.",
            "Tanggal ditulis TTTT-BB-HH. Semua baris diperiksa lebih dahulu; tidak ada yang "
            "disimpan sebelum berkas bersih dan Anda mengonfirmasi.",
        ],
        "en": [
            "How to import the roster of employees with disabilities",
            "Fill in the 'Data' sheet, one row per employee. Do not change the header row.",
            "Employees are matched by employee number: existing numbers are updated, new ones "
            "added. Importing the same file twice changes nothing.",
            "Consent first (UU 27/2022 Art. 26): fill the disability columns only when the "
            "consent columns (by, method, date, text version) are filled.",
            "Disability columns left empty do not erase details already stored.",
            "Write dates as YYYY-MM-DD. Every row is checked first; nothing is saved until the "
            "file is clean and you confirm.",
        ],
    },
    "figures": {
        "id": [
            "Petunjuk impor data tenaga kerja bulanan",
            "Isi lembar 'Data', satu baris per unit kerja dan bulan. Jangan mengubah judul kolom.",
            "Setiap kolom jenis hubungan kerja berisi jumlah pekerja (bilangan bulat, 0 atau "
            "lebih). Kolom kosong berarti tidak dilaporkan dan tidak mengubah angka tersimpan.",
            "Angka yang sudah ada diperbarui; mengimpor berkas yang sama dua kali tidak mengubah "
            "apa pun. Tidak ada yang disimpan sebelum berkas bersih dan Anda mengonfirmasi.",
        ],
        "en": [
            "How to import monthly workforce figures",
            "Fill in the 'Data' sheet, one row per establishment and month. Keep the header row.",
            "Each employment-type column holds a number of workers (a whole number, 0 or more). "
            "An empty cell is not reported and leaves the stored figure as it is.",
            "Existing figures are updated; importing the same file twice changes nothing. "
            "Nothing is saved until the file is clean and you confirm.",
        ],
    },
}
