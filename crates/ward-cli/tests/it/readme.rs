//! The README's console examples are run as written and must print what the README shows.

use std::path::Path;
use std::process::Command;

/// One `$ command` line of a ```console block and the output lines under it.
struct Example {
    line: usize,
    command: String,
    output: String,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    let mut in_console = false;
    for (number, line) in readme.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_console = line.trim() == "```console";
            continue;
        }
        if !in_console {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            examples.push(Example {
                line: number + 1,
                command: command.to_owned(),
                output: String::new(),
            });
        } else if let Some(example) = examples.last_mut() {
            example.output.push_str(line);
            example.output.push('\n');
        }
    }
    examples
}

#[test]
fn readme_console_examples_print_what_they_show() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_ward"))
        .parent()
        .expect("binary directory");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let examples = examples(&readme);
    assert!(examples.len() >= 5, "README.md should show ward at work");
    for example in &examples {
        assert!(
            example.command.starts_with("ward "),
            "README.md:{}: examples run ward",
            example.line
        );
        let output = Command::new("sh")
            .arg("-c")
            .arg(format!("{} 2>&1", example.command))
            .env("PATH", &path)
            .output()
            .expect("sh runs");
        let printed = String::from_utf8(output.stdout).expect("UTF-8 output");
        assert_eq!(
            printed, example.output,
            "README.md:{}: `{}`",
            example.line, example.command
        );
    }
}
