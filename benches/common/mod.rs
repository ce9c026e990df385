//! Shared by the benchmarks: the 3,321 communes of today's national registry, read from
//! `benches/units-vn.csv` (dvhcvn/20250701, MIT).

/// Six headline indicators of the QĐ 766 catalogue.
pub const INDICATORS: [&str; 6] = [
    "ty_le_ho_so_truc_tuyen",
    "ty_le_so_hoa_ho_so",
    "ty_le_thanh_toan_truc_tuyen",
    "ty_le_dung_han",
    "ty_le_hai_long_tthc",
    "ty_le_ket_qua_dien_tu",
];

/// One commune-level unit.
pub struct Commune {
    /// 5-digit GSO code.
    pub code: String,
    /// Proper name without the kind word ("Tân Hưng").
    pub name: String,
    /// Registry kind: xã, phường or đặc khu.
    pub kind: &'static str,
}

/// Every commune of the national list, in file order.
pub fn communes() -> Vec<Commune> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/units-vn.csv"))
            .expect("benches/units-vn.csv");
    text.lines()
        .skip(1)
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            if f.len() < 6 || f[2] != "xa" {
                return None;
            }
            let kind = match f[3] {
                "phuong" => "phường",
                "dac_khu" => "đặc khu",
                _ => "xã",
            };
            let name = f[1].split_once(' ').map_or(f[1], |(_, rest)| rest);
            let name = name.strip_prefix("khu ").unwrap_or(name);
            Some(Commune {
                code: f[0].to_string(),
                name: name.to_string(),
                kind,
            })
        })
        .collect()
}
