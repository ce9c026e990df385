use super::*;
use sha2::{Digest, Sha256};

fn bar(label: &str, value: f64, target: Option<f64>) -> Bar {
    Bar {
        label: label.to_string(),
        value,
        target,
        lagging: target.is_some_and(|t| value < t),
        judged: target.is_some(),
    }
}

/// Four units against one target of 90%: two lagging (rows 0 and 2), two passing.
fn sample() -> Chart {
    Chart {
        name: "Tỷ lệ hồ sơ trực tuyến".to_string(),
        unit: "%".to_string(),
        bars: vec![
            bar("Sở Tài chính", 65.52, Some(90.0)),
            bar("Sở Nội vụ", 94.97, Some(90.0)),
            bar("UBND huyện Thủy Nguyên", 61.0, Some(90.0)),
            bar("Sở Y tế", 96.0, Some(90.0)),
        ],
    }
}

/// The PNG decoded to 8-bit grey.
fn pixels(image: &Image) -> image::GrayImage {
    image::load_from_memory(&image.png)
        .expect("a PNG")
        .to_luma8()
}

/// The pixel row through the middle of row `i` of the bars.
fn row_y(i: usize) -> u32 {
    (px(8.0) + px(ROW_MM) * i as i32 + px(ROW_MM) / 2) as u32
}

#[test]
fn two_draws_give_the_same_bytes_and_the_looked_at_image() {
    let a = draw(&sample()).unwrap();
    let b = draw(&sample()).unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].png, b[0].png);
    // The PNG of `sample()` as drawn and looked at (legend, 4 bars, dashed 90% line, names
    // with diacritics, values "65,52" …); a change of the drawing changes this on purpose.
    let hash: String = Sha256::digest(&a[0].png)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        hash,
        "ae3e9d82f39b175e83dadc1b8c64472fbe7032d4111aa8e8ed8f7af827145a83"
    );
}

#[test]
fn printed_at_the_text_width_and_a_row_per_unit() {
    let one = &draw(&sample()).unwrap()[0];
    assert!((one.width_mm - WIDTH_MM).abs() < 0.2, "{}", one.width_mm);
    let img = pixels(one);
    assert_eq!(img.width() as i32, px(WIDTH_MM));
    // Legend, 4 rows, axis: about 8 + 20 + 15 mm.
    assert!(
        one.height_mm > 40.0 && one.height_mm < 50.0,
        "{}",
        one.height_mm
    );
    assert_eq!(one.alt, "Biểu đồ Tỷ lệ hồ sơ trực tuyến");
}

#[test]
fn lagging_bars_are_dark_and_passing_bars_light() {
    let img = pixels(&draw(&sample()).unwrap()[0]);
    // Halfway across: inside every bar (values ≥ 61% of the axis, names are short).
    let x = img.width() / 2;
    let grey = |row: usize| img.get_pixel(x, row_y(row))[0];
    assert_eq!(grey(0), LAGGING_FILL, "lagging Sở Tài chính");
    assert_eq!(grey(2), LAGGING_FILL, "lagging UBND huyện Thủy Nguyên");
    assert_eq!(grey(1), PASSING_FILL, "passing Sở Nội vụ");
    assert_eq!(grey(3), PASSING_FILL, "passing Sở Y tế");
    // Far apart in black-and-white print.
    const { assert!(PASSING_FILL - LAGGING_FILL > 100) };
}

#[test]
fn names_with_diacritics_are_drawn_in_the_label_column() {
    let chart = sample();
    let img = pixels(&draw(&chart).unwrap()[0]);
    // Left quarter of the row of "UBND huyện Thủy Nguyên": dark anti-aliased glyph pixels.
    let (y0, y1) = (row_y(2) - px(2.0) as u32, row_y(2) + px(2.0) as u32);
    let inked = (0..img.width() / 4)
        .flat_map(|x| (y0..y1).map(move |y| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y)[0] < 128)
        .count();
    assert!(inked > 200, "{inked} dark pixels in the label area");
    // A name only in other letters than another of the same length draws other pixels.
    let mut other = chart.clone();
    other.bars[2].label = "UBND huyen Thuy Nguyen".to_string();
    assert_ne!(draw(&other).unwrap()[0].png, draw(&chart).unwrap()[0].png);
}

#[test]
fn one_unit_and_eighty_units_draw() {
    let one = Chart {
        bars: vec![bar("Sở Tư pháp", 89.22, Some(90.0))],
        ..sample()
    };
    let images = draw(&one).unwrap();
    assert_eq!(images.len(), 1);
    assert!(pixels(&images[0]).height() > 0);

    let many = Chart {
        bars: (0..80)
            .map(|i| bar(&format!("xã Đông Hải {i}"), i as f64 * 1.25, Some(60.0)))
            .collect(),
        ..sample()
    };
    let images = draw(&many).unwrap();
    assert_eq!(images.len(), 2, "split in two charts of 40");
    for (i, image) in images.iter().enumerate() {
        // Each part fits one A4 page's text block (297 − 40 mm) with room for a heading.
        assert!(image.height_mm < 230.0, "{}", image.height_mm);
        assert_eq!(
            image.alt,
            format!("Biểu đồ Tỷ lệ hồ sơ trực tuyến ({}/2)", i + 1)
        );
    }
}

#[test]
fn parts_are_even_and_at_most_forty() {
    let lens = |n: usize| parts(n).iter().map(|r| r.len()).collect::<Vec<_>>();
    assert_eq!(lens(1), [1]);
    assert_eq!(lens(40), [40]);
    assert_eq!(lens(41), [21, 20]);
    assert_eq!(lens(60), [30, 30]);
    assert_eq!(lens(185), [37, 37, 37, 37, 37]);
    assert!(parts(185).windows(2).all(|w| w[0].end == w[1].start));
}

#[test]
fn targets_that_differ_by_unit_are_marked_per_row() {
    let chart = Chart {
        bars: vec![
            bar("Sở Tài chính", 40.0, Some(90.0)),
            bar("xã An Hòa", 40.0, Some(60.0)),
        ],
        ..sample()
    };
    let common = draw(&Chart {
        bars: vec![
            bar("Sở Tài chính", 40.0, Some(90.0)),
            bar("xã An Hòa", 40.0, Some(90.0)),
        ],
        ..sample()
    })
    .unwrap();
    let img = pixels(&draw(&chart).unwrap()[0]);
    let black_columns = |row: usize| -> Vec<u32> {
        (0..img.width())
            .filter(|&x| img.get_pixel(x, row_y(row))[0] == 0)
            .collect()
    };
    // Each row has its black mark, at a different place (90% vs 60%).
    let (a, b) = (black_columns(0), black_columns(1));
    assert!(!a.is_empty() && !b.is_empty());
    assert!(a.iter().max() > b.iter().max(), "{a:?} {b:?}");
    assert_ne!(common[0].png, draw(&chart).unwrap()[0].png);
}

#[test]
fn numbers_use_the_decimal_comma() {
    assert_eq!(number(37.39), "37,39");
    assert_eq!(number(60.0), "60");
    assert_eq!(nice_step(20.0), 20.0);
    assert_eq!(nice_step(13.0), 20.0);
    assert_eq!(nice_step(0.7), 1.0);
}

#[test]
fn an_empty_chart_is_an_error() {
    let empty = Chart {
        bars: Vec::new(),
        ..sample()
    };
    assert!(draw(&empty).is_err());
}

#[test]
fn other_units_and_odd_values_draw() {
    for values in [[0.0, 0.0], [1500.0, 3.2], [-12.5, 40.0], [f64::NAN, 7.0]] {
        let chart = Chart {
            name: "Thời gian giải quyết trung bình".to_string(),
            unit: "ngày".to_string(),
            bars: values
                .iter()
                .map(|v| bar("Sở Tư pháp", *v, Some(5.0)))
                .collect(),
        };
        let images = draw(&chart).unwrap_or_else(|e| panic!("{values:?}: {e}"));
        assert_eq!(images.len(), 1);
        assert!(pixels(&images[0]).height() > 0);
    }
    // A rate above 100% widens the axis past 100.
    let over = Chart {
        bars: vec![bar("Sở Y tế", 112.0, Some(90.0))],
        ..sample()
    };
    let scale = Scale::of(&over);
    assert!(scale.max >= 112.0 && scale.min == 0.0, "{scale:?}");
    assert_eq!(Scale::of(&sample()).max, 100.0);
}

/// Whether the band of pixel rows `ys` has a run of at least `len` pixels of grey `g` (a
/// legend box or a bar; anti-aliased letters never make one).
fn has_run(img: &image::GrayImage, ys: std::ops::Range<u32>, g: u8, len: u32) -> bool {
    ys.into_iter().any(|y| {
        let mut run = 0;
        (0..img.width()).any(|x| {
            run = if img.get_pixel(x, y)[0] == g {
                run + 1
            } else {
                0
            };
            run >= len
        })
    })
}

/// A unit without a target (a count like the days of processing, a target given for some
/// units only, an informational indicator) is neither below nor at its target: its bar is not
/// drawn light grey as "Đạt chỉ tiêu", and a chart where no unit has a target shows neither
/// legend entry.
#[test]
fn bars_without_a_target_are_neither_lagging_nor_passing() {
    let unjudged = |label: &str, value: f64| Bar {
        judged: false,
        ..bar(label, value, None)
    };
    let mixed = Chart {
        bars: vec![
            bar("Sở Tài chính", 65.0, Some(90.0)),
            unjudged("Sở Nội vụ", 70.0),
            bar("Sở Y tế", 96.0, Some(90.0)),
        ],
        ..sample()
    };
    let img = pixels(&draw(&mixed).unwrap()[0]);
    let x = img.width() / 2;
    assert_eq!(img.get_pixel(x, row_y(0))[0], LAGGING_FILL);
    assert_eq!(img.get_pixel(x, row_y(2))[0], PASSING_FILL);
    assert_eq!(
        img.get_pixel(x, row_y(1))[0],
        255,
        "no target: not \"Đạt chỉ tiêu\""
    );

    let legend = 0..px(8.0) as u32;
    let none = Chart {
        name: "Thời gian giải quyết trung bình".to_string(),
        unit: "ngày".to_string(),
        bars: vec![unjudged("Sở Tư pháp", 3.5), unjudged("Sở Y tế", 6.0)],
    };
    let img = pixels(&draw(&none).unwrap()[0]);
    for row in 0..2 {
        assert_ne!(
            img.get_pixel(x / 2, row_y(row))[0],
            PASSING_FILL,
            "row {row}"
        );
    }
    let box_len = px(5.0) as u32;
    assert!(
        !has_run(&img, legend.clone(), PASSING_FILL, box_len),
        "no \"Đạt chỉ tiêu\" box"
    );
    assert!(
        !has_run(&img, legend.clone(), LAGGING_FILL, box_len),
        "no \"Chưa đạt\" box"
    );
    // The sample, every unit judged, keeps both boxes (the check can fail).
    let img = pixels(&draw(&sample()).unwrap()[0]);
    assert!(has_run(&img, legend.clone(), PASSING_FILL, box_len));
    assert!(has_run(&img, legend, LAGGING_FILL, box_len));
}

/// Long names push the bars right; the legend (here all four entries) still ends inside the
/// image, never cut at its right edge.
#[test]
fn the_legend_stays_inside_the_image_beside_long_names() {
    let long = "Sở Tài nguyên và Môi trường Đặc biệt ".repeat(6);
    let chart = Chart {
        bars: vec![
            bar(&format!("{long}1"), 40.0, Some(90.0)),
            bar(&format!("{long}2"), 95.0, Some(60.0)),
            Bar {
                judged: false,
                ..bar(&format!("{long}3"), 70.0, None)
            },
        ],
        ..sample()
    };
    let img = pixels(&draw(&chart).unwrap()[0]);
    let margin = px(2.0) as u32;
    let inked_at_the_edge = (img.width() - margin..img.width())
        .flat_map(|x| (0..px(8.0) as u32).map(move |y| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y)[0] < 160)
        .count();
    assert_eq!(inked_at_the_edge, 0, "legend ink in the right margin");
    // And all of it is drawn: the ink of the legend band reaches the right half.
    let inked_right = (img.width() * 3 / 4..img.width() - margin)
        .flat_map(|x| (0..px(8.0) as u32).map(move |y| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y)[0] < 128)
        .count();
    assert!(inked_right > 100, "{inked_right}");
}

/// Names too long for the label column that differ only at their end ("… Đặc biệt 1", "…
/// Đặc biệt 2") are not cut to the same text: each row still tells which unit it is.
#[test]
fn long_names_cut_to_the_same_text_keep_their_ends() {
    let long = "Ban Quản lý các khu chế xuất, khu công nghiệp và khu kinh tế ven biển của ";
    let chart = Chart {
        bars: (1..=3)
            // No target: no dashed line, whose dashes fall differently on each row.
            .map(|i| bar(&format!("{long}thành phố số {i}"), 95.0, None))
            .collect(),
        ..sample()
    };
    let img = pixels(&draw(&chart).unwrap()[0]);
    let label = |row: usize| -> Vec<u8> {
        let (y0, y1) = (row_y(row) - px(2.0) as u32, row_y(row) + px(2.0) as u32);
        // The whole row: the bars are the same, so only the names can differ.
        (0..img.width())
            .flat_map(|x| (y0..y1).map(move |y| (x, y)))
            .map(|(x, y)| img.get_pixel(x, y)[0])
            .collect()
    };
    assert!(label(0) != label(1), "rows 1 and 2 print the same name");
    assert!(label(1) != label(2), "rows 2 and 3 print the same name");
}

/// A value wider than "100,00" (a count, "2.000.000") at the end of the axis prints whole,
/// never cut at the image's right edge.
#[test]
fn wide_values_at_the_end_of_the_axis_print_whole() {
    let chart = Chart {
        name: "Số hồ sơ tiếp nhận".to_string(),
        unit: "hồ sơ".to_string(),
        bars: vec![
            bar("Sở Tư pháp", 2_000_000.0, None),
            bar("Sở Y tế", 95.0, None),
        ],
    };
    let img = pixels(&draw(&chart).unwrap()[0]);
    let (y0, y1) = (px(8.0) as u32, row_y(1) + px(2.0) as u32);
    let margin = px(1.5) as u32;
    let inked_at_the_edge = (img.width() - margin..img.width())
        .flat_map(|x| (y0..y1).map(move |y| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y)[0] < 160)
        .count();
    assert_eq!(inked_at_the_edge, 0, "a value cut at the right edge");
}

/// Ticks are labelled with at most 2 decimals, so they are never closer than 0,01: a chart
/// whose values are all 0 (or all tiny) has an axis 0 … 1, not "0" at both ends.
#[test]
fn an_axis_of_zeros_or_tiny_values_has_distinct_tick_labels() {
    for values in [[0.0, 0.0], [0.001, 0.004]] {
        let chart = Chart {
            name: "Thời gian giải quyết trung bình".to_string(),
            unit: "ngày".to_string(),
            bars: values.iter().map(|v| bar("Sở Tư pháp", *v, None)).collect(),
        };
        let scale = Scale::of(&chart);
        assert!(scale.step >= 0.01, "{values:?}: {scale:?}");
        assert_ne!(
            number(scale.min),
            number(scale.max),
            "{values:?}: {scale:?}"
        );
        assert!(draw(&chart).is_ok());
    }
    let zeros = Chart {
        bars: vec![bar("Sở Tư pháp", 0.0, None)],
        unit: "ngày".to_string(),
        ..sample()
    };
    assert_eq!(Scale::of(&zeros).max, 1.0);
    assert_eq!(Scale::of(&sample()).step, 20.0);
}
