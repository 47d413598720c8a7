//! `ward admin`: what an operator does on the instance's machine.

use std::io::{Read as _, Write as _};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use ward_desk::access::Role;

use crate::cli::{AdminCommand, RoleArg};
use crate::config::ServeFlags;

pub(crate) fn run(command: AdminCommand) -> anyhow::Result<ExitCode> {
    match command {
        AdminCommand::RotateKek(args) => {
            let config = super::serve::instance_config(args.instance, ServeFlags::default())?;
            super::serve::require_instance(&config)?;
            let rotation = ward_server::admin::rotate_kek(&config)?;
            writeln!(
                std::io::stdout().lock(),
                "new key-encryption key {}; {} data keys rewrapped; the old key is removed",
                rotation.kek_id,
                rotation.rewrapped
            )?;
            Ok(ExitCode::SUCCESS)
        }
        AdminCommand::CreateUser(args) => {
            let config = super::serve::instance_config(args.instance, ServeFlags::default())?;
            let mut password = String::new();
            std::io::stdin()
                .take(1024)
                .read_to_string(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']).to_owned();
            if password.is_empty() {
                bail!(
                    "no password on standard input (echo it, or pipe it from a password manager)"
                );
            }
            let role = match args.role {
                RoleArg::Admin => Role::Admin,
                RoleArg::Coordinator => Role::Coordinator,
                RoleArg::Maintainer => Role::Maintainer,
                RoleArg::Reporter => Role::Reporter,
                RoleArg::Party => Role::Party,
            };
            let name = args.name.unwrap_or_else(|| args.email.clone());
            let email = args.email.clone();
            let state = ward_server::AppState::open(config)?;
            let id = ward_server::admin::create_user(&state, &email, &name, role, &password)?;
            writeln!(
                std::io::stdout().lock(),
                "created {} ({}) as user {id}{}",
                args.email,
                role.as_str(),
                if role.needs_second_factor() {
                    "; TOTP enrollment is asked at first login"
                } else {
                    ""
                }
            )?;
            Ok(ExitCode::SUCCESS)
        }
        AdminCommand::CreateToken(args) => {
            let config = super::serve::instance_config(args.instance, ServeFlags::default())?;
            super::serve::require_instance(&config)?;
            let scopes = args
                .scope
                .iter()
                .map(|s| {
                    s.trim()
                        .parse::<ward_desk::access::TokenScope>()
                        .map_err(|_| {
                            anyhow::anyhow!(
                                "unknown scope {s:?}; expected read, write, submit or admin"
                            )
                        })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let state = ward_server::AppState::open(config)?;
            let token = ward_server::admin::create_token(
                &state,
                &args.email,
                &args.name,
                scopes,
                args.expires_days,
            )?;
            writeln!(std::io::stdout().lock(), "{token}")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
