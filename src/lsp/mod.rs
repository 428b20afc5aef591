//! The language server (`unspun lsp`): artifacts as diagnostics where editors
//! write, with quick fixes, over stdio.
//!
//! A thin face over [`Checker`], as the CLI and the HTTP server are:
//!
//! - diagnostics for plain text, Markdown and HTML (by the document's language
//!   id: `markdown`, `html`, anything else is text) on open and save, and on
//!   change after a short pause (`debounceMs`, default 20), so that typing
//!   never waits; checks run on the blocking pool, off the request thread, and
//!   an answer for an older version of a document is dropped;
//! - positions in UTF-16 code units, as LSP requires;
//! - code actions: replace an artifact with one of its suggestions, fix every
//!   fixable artifact of the document, and add a word to the project's
//!   allowlist (the `allow` list of `unspun.toml` in the workspace folder,
//!   created if needed; command `unspun.allow`);
//! - settings from `initializationOptions` and `workspace/didChangeConfiguration`
//!   (at the top level or under `unspun`): `minConfidence`, `fixThreshold`,
//!   `allow`, `dictionaries` (files) and `debounceMs`; over the project's
//!   `unspun.toml` found from the document's folder, which applies too.

mod positions;

use crate::config::Config;
use crate::{CheckOptions, Checker, Markup, Span};
use positions::{touches, Lines};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

/// The command that adds a word to the project's allowlist.
pub const ALLOW_COMMAND: &str = "unspun.allow";

/// Settings a client sends.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
struct Settings {
    min_confidence: Option<f64>,
    fix_threshold: Option<f64>,
    allow: Vec<String>,
    dictionaries: Vec<String>,
    debounce_ms: Option<u64>,
}

impl Settings {
    /// The settings in `value`, at its top level or under `unspun`.
    fn from_value(value: &Value) -> std::result::Result<Settings, String> {
        let inner = value.get("unspun").unwrap_or(value);
        if inner.is_null() {
            return Ok(Settings::default());
        }
        serde_json::from_value(inner.clone()).map_err(|e| format!("unspun settings: {e}"))
    }
}

/// An open document.
#[derive(Debug)]
struct Document {
    text: Arc<str>,
    version: i32,
    markup: Markup,
    /// Raised by every change: a check of an older generation is dropped.
    generation: u64,
    /// The spans of the last check, for code actions.
    spans: Vec<Span>,
}

struct State {
    base: Checker,
    checker: RwLock<Checker>,
    settings: RwLock<Settings>,
    documents: Mutex<HashMap<Uri, Document>>,
    root: RwLock<Option<PathBuf>>,
}

/// The language server.
pub struct Backend {
    client: Client,
    state: Arc<State>,
}

fn markup_of(language_id: &str) -> Markup {
    match language_id {
        "markdown" => Markup::Markdown,
        "html" => Markup::Html,
        _ => Markup::Text,
    }
}

fn path_of(uri: &Uri) -> Option<PathBuf> {
    (uri.scheme().as_str() == "file")
        .then(|| uri.to_file_path().map(|p| p.into_owned()))
        .flatten()
}

impl State {
    /// The options for a document at `path`: the project's configuration,
    /// then the client's settings over it.
    fn options(&self, path: Option<&Path>, markup: Markup) -> (CheckOptions, bool) {
        let settings = self
            .settings
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let config = path
            .and_then(Path::parent)
            .and_then(|folder| Config::discover(folder).ok().flatten());
        let ignored = match (&config, path) {
            (Some(config), Some(path)) => config.ignores(path),
            _ => false,
        };
        let mut options = CheckOptions {
            markup,
            include_diff: false,
            include_fixed: false,
            ..CheckOptions::default()
        };
        if let Some(config) = &config {
            options.min_confidence = config.min_confidence.unwrap_or(options.min_confidence);
            options.fix_threshold = config.fix_threshold.unwrap_or(options.fix_threshold);
            options.allow.extend(config.allow.iter().cloned());
            options.skip_quotes = config.skip_quotes;
            if let Some(m) = path.and_then(|p| config.markup_for(p)) {
                options.markup = m;
            }
        }
        options.min_confidence = settings.min_confidence.unwrap_or(options.min_confidence);
        options.fix_threshold = settings.fix_threshold.unwrap_or(options.fix_threshold);
        options.allow.extend(settings.allow.iter().cloned());
        (options, ignored)
    }

    fn debounce(&self) -> Duration {
        let settings = self.settings.read().unwrap_or_else(|e| e.into_inner());
        Duration::from_millis(settings.debounce_ms.unwrap_or(20))
    }
}

impl Backend {
    /// Checks `uri` after `delay` unless it changed meanwhile, and publishes
    /// its diagnostics.
    fn schedule(&self, uri: Uri, delay: Duration) {
        let state = self.state.clone();
        let client = self.client.clone();
        tokio::spawn(async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let (text, version, markup, generation) = {
                let documents = state.documents.lock().unwrap_or_else(|e| e.into_inner());
                let Some(doc) = documents.get(&uri) else {
                    return;
                };
                (doc.text.clone(), doc.version, doc.markup, doc.generation)
            };
            let path = path_of(&uri);
            let checked = state.clone();
            let work = tokio::task::spawn_blocking(move || {
                let (options, ignored) = checked.options(path.as_deref(), markup);
                if ignored {
                    return Ok(Vec::new());
                }
                let checker = checked
                    .checker
                    .read()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone();
                checker.check_with(&text, &options).map(|r| r.spans)
            });
            let spans = match work.await {
                Ok(Ok(spans)) => spans,
                Ok(Err(error)) => {
                    client
                        .log_message(MessageType::ERROR, format!("unspun: {error}"))
                        .await;
                    return;
                }
                Err(_) => return,
            };
            let diagnostics = {
                let mut documents = state.documents.lock().unwrap_or_else(|e| e.into_inner());
                let Some(doc) = documents.get_mut(&uri) else {
                    return;
                };
                if doc.generation != generation {
                    return;
                }
                let lines = Lines::new(&doc.text);
                let diagnostics = spans.iter().map(|s| diagnostic(&lines, s)).collect();
                doc.spans = spans;
                diagnostics
            };
            client
                .publish_diagnostics(uri, diagnostics, Some(version))
                .await;
        });
    }

    fn recheck_all(&self) {
        let uris: Vec<Uri> = {
            let documents = self
                .state
                .documents
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            documents.keys().cloned().collect()
        };
        for uri in uris {
            self.bump(&uri);
            self.schedule(uri, Duration::ZERO);
        }
    }

    fn bump(&self, uri: &Uri) {
        let mut documents = self
            .state
            .documents
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(doc) = documents.get_mut(uri) {
            doc.generation += 1;
        }
    }

    /// Applies `settings`: a new checker when the dictionaries changed.
    fn apply_settings(&self, settings: Settings) -> std::result::Result<(), String> {
        let dictionaries_changed = {
            let current = self
                .state
                .settings
                .read()
                .unwrap_or_else(|e| e.into_inner());
            current.dictionaries != settings.dictionaries
        };
        if dictionaries_changed {
            let checker = if settings.dictionaries.is_empty() {
                self.state.base.clone()
            } else {
                let mut builder = Checker::builder();
                for file in &settings.dictionaries {
                    builder = builder.dictionary_file(file).map_err(|e| e.to_string())?;
                }
                builder.build().map_err(|e| e.to_string())?
            };
            *self
                .state
                .checker
                .write()
                .unwrap_or_else(|e| e.into_inner()) = checker;
        }
        *self
            .state
            .settings
            .write()
            .unwrap_or_else(|e| e.into_inner()) = settings;
        Ok(())
    }
}

/// The diagnostic of one span.
fn diagnostic(lines: &Lines, span: &Span) -> Diagnostic {
    Diagnostic {
        range: lines.range(span.start, span.end),
        severity: Some(if span.fixable {
            DiagnosticSeverity::WARNING
        } else {
            DiagnosticSeverity::INFORMATION
        }),
        code: Some(NumberOrString::String(span.rule.clone())),
        source: Some("unspun".into()),
        message: span.message.clone(),
        data: Some(json!({
            "text": span.text,
            "suggestions": span.suggestions,
            "fixable": span.fixable,
            "confidence": span.confidence,
        })),
        ..Diagnostic::default()
    }
}

fn edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// Adds `word` to the `allow` list of the `unspun.toml` in `root` (created
/// if needed), keeping the rest of the file as it is.
pub fn add_to_project_allowlist(root: &Path, word: &str) -> std::io::Result<PathBuf> {
    let existing = crate::config::FILE_NAMES
        .iter()
        .map(|name| root.join(name))
        .find(|p| p.is_file());
    let path = existing.unwrap_or_else(|| root.join(crate::config::FILE_NAMES[0]));
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut document: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{e}")))?;
    let allow = document
        .entry("allow")
        .or_insert_with(|| toml_edit::value(toml_edit::Array::new()));
    let Some(array) = allow.as_array_mut() else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{}: `allow` is not a list", path.display()),
        ));
    };
    if !array.iter().any(|v| v.as_str() == Some(word)) {
        array.push(word);
    }
    let mut file = tempfile::NamedTempFile::new_in(root)?;
    std::io::Write::write_all(&mut file, document.to_string().as_bytes())?;
    file.persist(&path).map_err(|e| e.error)?;
    Ok(path)
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|folders| folders.first())
            .and_then(|folder| path_of(&folder.uri));
        #[allow(deprecated)]
        let root = root.or_else(|| params.root_uri.as_ref().and_then(path_of));
        *self.state.root.write().unwrap_or_else(|e| e.into_inner()) = root;
        if let Some(options) = &params.initialization_options {
            let settings = Settings::from_value(options).map_err(Error::invalid_params)?;
            self.apply_settings(settings)
                .map_err(Error::invalid_params)?;
        }
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "unspun".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::FULL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        ..CodeActionOptions::default()
                    },
                )),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![ALLOW_COMMAND.into()],
                    ..ExecuteCommandOptions::default()
                }),
                ..ServerCapabilities::default()
            },
            ..InitializeResult::default()
        })
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        {
            let mut documents = self
                .state
                .documents
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            let generation = documents.get(&document.uri).map_or(0, |d| d.generation + 1);
            documents.insert(
                document.uri.clone(),
                Document {
                    text: Arc::from(document.text),
                    version: document.version,
                    markup: markup_of(&document.language_id),
                    generation,
                    spans: Vec::new(),
                },
            );
        }
        self.schedule(document.uri, Duration::ZERO);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        // Full sync: the last change is the whole text.
        let Some(change) = params.content_changes.into_iter().last() else {
            return;
        };
        {
            let mut documents = self
                .state
                .documents
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            let Some(doc) = documents.get_mut(&uri) else {
                return;
            };
            doc.text = Arc::from(change.text);
            doc.version = params.text_document.version;
            doc.generation += 1;
        }
        self.schedule(uri, self.state.debounce());
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        if let Some(text) = params.text {
            let mut documents = self
                .state
                .documents
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if let Some(doc) = documents.get_mut(&uri) {
                doc.text = Arc::from(text);
            }
        }
        self.bump(&uri);
        self.schedule(uri, Duration::ZERO);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.state
            .documents
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        match Settings::from_value(&params.settings).and_then(|s| self.apply_settings(s)) {
            Ok(()) => self.recheck_all(),
            Err(message) => self.client.show_message(MessageType::ERROR, message).await,
        }
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let documents = self
            .state
            .documents
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let Some(doc) = documents.get(&uri) else {
            return Ok(None);
        };
        let lines = Lines::new(&doc.text);
        let mut actions = Vec::new();
        for span in &doc.spans {
            let range = lines.range(span.start, span.end);
            if !touches(&range, &params.range) {
                continue;
            }
            let diagnostic = diagnostic(&lines, span);
            for (i, suggestion) in span.suggestions.iter().take(5).enumerate() {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!(
                        "Replace \u{201c}{}\u{201d} with \u{201c}{suggestion}\u{201d}",
                        span.text
                    ),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(edit(&uri, vec![TextEdit::new(range, suggestion.clone())])),
                    is_preferred: Some(i == 0 && span.fixable),
                    ..CodeAction::default()
                }));
            }
            let word = span.text.to_lowercase();
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Add \u{201c}{word}\u{201d} to the project's allowlist"),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic]),
                command: Some(Command::new(
                    format!("Allow \u{201c}{word}\u{201d}"),
                    ALLOW_COMMAND.into(),
                    Some(vec![json!(word)]),
                )),
                ..CodeAction::default()
            }));
        }
        let fixes: Vec<TextEdit> = doc
            .spans
            .iter()
            .filter(|s| s.fixable)
            .filter_map(|s| {
                let fix = s.suggestions.first()?;
                Some(TextEdit::new(lines.range(s.start, s.end), fix.clone()))
            })
            .collect();
        if !fixes.is_empty() {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!(
                    "Fix all {} artifact{} in this document",
                    fixes.len(),
                    if fixes.len() == 1 { "" } else { "s" }
                ),
                kind: Some(CodeActionKind::QUICKFIX),
                edit: Some(edit(&uri, fixes)),
                ..CodeAction::default()
            }));
        }
        Ok(Some(actions))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        if params.command != ALLOW_COMMAND {
            return Err(Error::invalid_params(format!(
                "unknown command {}",
                params.command
            )));
        }
        let Some(word) = params.arguments.first().and_then(Value::as_str) else {
            return Err(Error::invalid_params(
                "unspun.allow takes the word to allow",
            ));
        };
        let word = word.to_owned();
        self.state
            .settings
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .allow
            .push(word.clone());
        let root = self
            .state
            .root
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let saved = match root {
            Some(root) => match add_to_project_allowlist(&root, &word) {
                Ok(path) => Some(path.display().to_string()),
                Err(error) => {
                    self.client
                        .show_message(MessageType::ERROR, format!("unspun: {error}"))
                        .await;
                    None
                }
            },
            None => None,
        };
        self.recheck_all();
        Ok(Some(json!({ "allowed": word, "file": saved })))
    }
}

/// Serves the language protocol on standard input and output until the
/// client exits, checking with `checker` (the settings' `dictionaries` add to
/// the embedded ones when given).
pub async fn serve_stdio(checker: Checker) {
    let (service, socket) = LspService::new(|client| Backend {
        client,
        state: Arc::new(State {
            base: checker.clone(),
            checker: RwLock::new(checker),
            settings: RwLock::new(Settings::default()),
            documents: Mutex::new(HashMap::new()),
            root: RwLock::new(None),
        }),
    });
    Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
        .serve(service)
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_read_at_the_top_level_or_under_unspun() {
        let direct = Settings::from_value(&json!({"minConfidence": 0.3, "allow": ["x"]})).unwrap();
        assert_eq!(direct.min_confidence, Some(0.3));
        let nested = Settings::from_value(&json!({"unspun": {"debounceMs": 5}})).unwrap();
        assert_eq!(nested.debounce_ms, Some(5));
        assert_eq!(
            Settings::from_value(&Value::Null).unwrap(),
            Settings::default()
        );
        assert!(Settings::from_value(&json!({"minConfidence": "high"})).is_err());
    }

    #[test]
    fn the_allowlist_is_added_to_unspun_toml_keeping_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let path = add_to_project_allowlist(dir.path(), "arsenic").unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "allow = [\"arsenic\"]\n"
        );
        std::fs::write(
            &path,
            "# house rules\nmin-confidence = 0.6\nallow = [\"arsenic\"]\n",
        )
        .unwrap();
        add_to_project_allowlist(dir.path(), "volition").unwrap();
        add_to_project_allowlist(dir.path(), "volition").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# house rules\nmin-confidence = 0.6\n"),
            "{text}"
        );
        let config: toml::Value = toml::from_str(&text).unwrap();
        assert_eq!(
            config["allow"],
            toml::Value::try_from(vec!["arsenic", "volition"]).unwrap()
        );
    }
}
