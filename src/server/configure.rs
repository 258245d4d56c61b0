//! The editor's settings (the `transcript` section): asked for at start and
//! whenever the client says they changed (or taken from the change itself),
//! then applied: every open document checked again with the rule
//! severities (diagnostics pushed, or a refresh asked of a client that
//! pulls), and the client asked to refresh its lenses and hints.

use std::sync::{Arc, Mutex};

use serde_json::Value;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::ConfigurationItem;

use super::publish::{self, Publish, deliver};
use super::settings::{self, Editor};
use super::state::{State, lock};

/// Reads the `transcript` section from the client (when it answers
/// `workspace/configuration`) and applies it.
pub async fn ask(state: &Arc<Mutex<State>>, client: &Client) {
    if !lock(state).configuration {
        return;
    }
    let item = ConfigurationItem {
        scope_uri: None,
        section: Some("transcript".to_string()),
    };
    match client.configuration(vec![item]).await {
        Ok(values) => apply(state, client, values.first().unwrap_or(&Value::Null)).await,
        Err(e) => tracing::warn!("the client did not give its settings: {e}"),
    }
}

/// After `workspace/didChangeConfiguration`: the settings it carries (a
/// `transcript` section), or else asks for them.
pub async fn changed(state: &Arc<Mutex<State>>, client: &Client, settings: &Value) {
    match settings.get("transcript") {
        Some(section) => apply(state, client, section).await,
        None => ask(state, client).await,
    }
}

/// Applies a `transcript` section; a bad one is logged and shown, and the
/// settings stay as they were.
async fn apply(state: &Arc<Mutex<State>>, client: &Client, section: &Value) {
    let editor = match settings::read_section(section) {
        Ok(editor) => editor,
        Err(why) => {
            tracing::error!("settings: {why}");
            client
                .show_message(
                    tower_lsp_server::ls_types::MessageType::ERROR,
                    format!("transcript-ls: {why}; the previous settings stay"),
                )
                .await;
            return;
        }
    };
    let (delivery, publishes, refresh) = {
        let mut state = lock(state);
        let Editor { rules, .. } = editor.clone();
        let rules_changed = *state.docs.rules() != rules;
        let view_changed = (state.editor.code_lens, state.editor.inlay_hints)
            != (editor.code_lens, editor.inlay_hints);
        state.editor = editor;
        let publishes: Vec<Publish> = if rules_changed {
            state.changed();
            state
                .docs
                .set_rules(rules)
                .into_iter()
                .filter_map(|(key, snapshot)| {
                    let uri = key.parse().ok()?;
                    Some(publish::document(&mut state, &uri, &snapshot))
                })
                .collect()
        } else {
            Vec::new()
        };
        let refresh = (
            view_changed && state.lens_refresh,
            view_changed && state.hint_refresh,
        );
        (state.delivery, publishes, refresh)
    };
    deliver(client, delivery, publishes).await;
    if refresh.0
        && let Err(e) = client.code_lens_refresh().await
    {
        tracing::info!("the client refused to refresh code lenses: {e}");
    }
    if refresh.1
        && let Err(e) = client.inlay_hint_refresh().await
    {
        tracing::info!("the client refused to refresh inlay hints: {e}");
    }
}
