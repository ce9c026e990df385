//! The page's words and looks, compiled in: Tera templates, CSS, JavaScript and the messages of
//! `templates/serve/`, and the letter's stylesheet from `write::html`.

use std::collections::HashMap;

use congvan::diag::{Error, Result};
use congvan::write::html;

const PAGE: &str = include_str!("../../../templates/serve/page.html");
const RESULTS: &str = include_str!("../../../templates/serve/results.html");
const MESSAGE: &str = include_str!("../../../templates/serve/message.html");
const PAGE_CSS: &str = include_str!("../../../templates/serve/page.css");
const PAGE_JS: &str = include_str!("../../../templates/serve/page.js");
const MESSAGES: &str = include_str!("../../../templates/serve/messages.toml");

/// The compiled templates and the messages.
pub struct Pages {
    tera: tera::Tera,
    messages: HashMap<String, String>,
}

impl Pages {
    /// Compile the templates. Errors only if a shipped template is broken.
    pub fn new() -> Result<Pages> {
        let mut tera = tera::Tera::new();
        tera.set_escape_fn(|input: &str, out: &mut dyn std::io::Write| {
            out.write_all(html::escape(input).as_bytes())
        });
        tera.autoescape_on([".html"]);
        for (name, text) in [
            ("results.html", RESULTS),
            ("page.html", PAGE),
            ("message.html", MESSAGE),
        ] {
            tera.add_raw_template(name, text)
                .map_err(|e| Error::input(format!("templates/serve/{name}: {e}")))?;
        }
        let messages = toml::from_str(MESSAGES)
            .map_err(|e| Error::input(format!("templates/serve/messages.toml: {e}")))?;
        Ok(Pages { tera, messages })
    }

    /// Render `name` with `context`; the stylesheets and script are added here.
    pub fn render(&self, name: &str, context: &serde_json::Value) -> String {
        let mut ctx = tera::Context::from_serialize(context).unwrap_or_default();
        ctx.insert("page_css", PAGE_CSS);
        ctx.insert("letter_css", html::STYLESHEET);
        ctx.insert("page_js", PAGE_JS);
        self.tera
            .render(name, &ctx)
            .unwrap_or_else(|e| format!("<!doctype html><p>{}</p>", html::escape(&e.to_string())))
    }

    /// The message `key` with `{name}` placeholders filled in.
    pub fn message(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self
            .messages
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string());
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }
}
