//! The `factmark` binary's command line, run as a user would.

use std::process::Command;

fn factmark(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_factmark"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("could not run factmark: {e}"))
}

#[test]
fn help_describes_the_arguments() {
    let out = factmark(&["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Usage: factmark"), "{text}");
    assert!(
        text.contains("[PATH]") && text.contains("--article"),
        "{text}"
    );
}

#[test]
fn version_is_printed() {
    let out = factmark(&["--version"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("factmark "));
}

#[test]
fn unknown_options_fail_with_a_message() {
    let out = factmark(&["--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--frobnicate"));
}
