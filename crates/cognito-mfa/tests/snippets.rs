// SPDX-License-Identifier: Apache-2.0
//! The documentation excerpts: every snippet tag in the source is paired, unique and listed in
//! the metadata, every tag the metadata names exists, and no excerpt carries a run that the
//! documentation tooling takes for a secret.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const PREFIX: &str = "cognitoidentityprovider.rust.";

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(folder: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

fn tag_after<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let rest = &line[line.find(marker)? + marker.len()..];
    rest.strip_prefix('[')?.split(']').next()
}

/// Every excerpt in the source: tag -> (file, its lines).
fn excerpts() -> BTreeMap<String, (PathBuf, Vec<String>)> {
    let mut files = Vec::new();
    rust_files(&repository().join("crates"), &mut files);
    let mut found = BTreeMap::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        let mut open: Vec<(String, Vec<String>)> = Vec::new();
        for line in text.lines() {
            // The markers in this file's own code are not tags.
            if line.contains("tag_after(") || line.contains("\"snippet-") {
                continue;
            }
            if let Some(tag) = tag_after(line, "snippet-start:") {
                assert!(
                    !open.iter().any(|(t, _)| t == tag),
                    "{tag} starts again inside itself in {}",
                    file.display()
                );
                open.push((tag.to_owned(), Vec::new()));
            } else if let Some(tag) = tag_after(line, "snippet-end:") {
                let position = open
                    .iter()
                    .position(|(t, _)| t == tag)
                    .unwrap_or_else(|| panic!("{tag} ends without a start in {}", file.display()));
                let (tag, lines) = open.remove(position);
                let previous = found.insert(tag.clone(), (file.clone(), lines));
                assert!(previous.is_none(), "{tag} is used twice");
            } else {
                for (_, lines) in &mut open {
                    lines.push(line.to_owned());
                }
            }
        }
        assert!(
            open.is_empty(),
            "tags never ended in {}: {:?}",
            file.display(),
            open.iter().map(|(t, _)| t).collect::<Vec<_>>()
        );
    }
    found
}

fn metadata_tags() -> BTreeSet<String> {
    let text = fs::read_to_string(
        repository().join(".doc_gen/metadata/cognito-identity-provider_metadata.yaml"),
    )
    .unwrap();
    text.lines()
        .filter_map(|line| {
            let start = line.find(PREFIX)?;
            let tag: String = line[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
                .collect();
            Some(tag)
        })
        .collect()
}

#[test]
fn every_tag_is_paired_unique_and_documented() {
    let excerpts = excerpts();
    let in_source: BTreeSet<String> = excerpts.keys().cloned().collect();
    let in_metadata = metadata_tags();
    assert!(
        in_source.iter().all(|tag| tag.starts_with(PREFIX)),
        "{in_source:?}"
    );
    assert_eq!(in_source, in_metadata, "source and metadata differ");
    // The twelve actions, the wrapper, hello and each step of the scenario.
    for action in [
        "sign_up",
        "admin_get_user",
        "resend_confirmation_code",
        "confirm_sign_up",
        "list_users",
        "admin_initiate_auth",
        "associate_software_token",
        "verify_software_token",
        "admin_respond_to_auth_challenge",
        "confirm_device",
        "initiate_auth",
        "respond_to_auth_challenge",
        "actions_wrapper",
        "hello",
        "scenario_run",
        "scenario_sign_up",
        "scenario_admin_get_user",
        "scenario_confirm_sign_up",
        "scenario_list_users",
        "scenario_set_up_mfa",
        "scenario_sign_in_with_totp",
        "scenario_check_tokens",
        "scenario_remember_device",
        "scenario_sign_in_with_device",
    ] {
        assert!(
            in_source.contains(&format!("{PREFIX}{action}")),
            "no excerpt for {action}"
        );
    }
}

#[test]
fn excerpts_hold_no_secret_looking_runs() {
    for (tag, (file, lines)) in excerpts() {
        assert!(!lines.is_empty(), "{tag} is empty");
        for line in lines {
            let mut run = 0;
            for c in line.chars() {
                run = if c.is_ascii_alphanumeric() || "/+=".contains(c) {
                    run + 1
                } else {
                    0
                };
                assert!(
                    run < 40,
                    "{tag} in {} has a 40-character run: {line}",
                    file.display()
                );
            }
            assert!(!line.contains("AKIA"), "{tag}: {line}");
        }
    }
}

/// Text files of the repository that people or the documentation tooling read.
fn text_files(folder: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "target" || name.starts_with('.') && name != ".doc_gen" {
            continue;
        }
        if path.is_dir() {
            text_files(&path, found);
        } else if ["rs", "md", "yaml", "yml", "toml", "sh", "py"]
            .iter()
            .any(|extension| path.extension().is_some_and(|e| e == *extension))
        {
            found.push(path);
        }
    }
}

#[test]
fn tags_open_only_on_their_own_comment_lines() {
    // The documentation scanner opens a tag wherever the marker appears, even in prose.
    let marker = concat!("snippet-start", ":[");
    let mut files = Vec::new();
    text_files(&repository(), &mut files);
    assert!(files.iter().any(|file| file.ends_with("README.md")));
    for file in files {
        let text = fs::read_to_string(&file).unwrap_or_default();
        for line in text.lines().filter(|line| line.contains(marker)) {
            let is_tag_line = file.extension().is_some_and(|e| e == "rs")
                && line
                    .trim_start()
                    .starts_with(&format!("// {marker}{PREFIX}"))
                && line.trim_end().ends_with(']');
            assert!(is_tag_line, "{}: {line}", file.display());
        }
    }
}

#[test]
fn every_action_excerpt_leads_with_the_wrapper() {
    let text = fs::read_to_string(
        repository().join(".doc_gen/metadata/cognito-identity-provider_metadata.yaml"),
    )
    .unwrap();
    let wrapper = format!("{PREFIX}actions_wrapper");
    let mut actions = 0;
    for entry in text.split("\ncognito-identity-provider_").skip(1) {
        if entry.starts_with("Hello") || entry.starts_with("Scenario_") {
            assert!(entry.contains("\n  title: "), "{entry}");
            continue;
        }
        actions += 1;
        assert!(
            !entry.contains("\n  title"),
            "an action entry sets a title: {entry}"
        );
        assert!(!entry.contains("\n  synopsis"), "{entry}");
        let tags: Vec<&str> = entry
            .lines()
            .filter_map(|line| line.trim().strip_prefix("- "))
            .filter(|tag| tag.starts_with(PREFIX))
            .collect();
        assert_eq!(tags.len(), 2, "{entry}");
        assert_eq!(tags[0], wrapper, "{entry}");
    }
    assert_eq!(actions, 12);
}
