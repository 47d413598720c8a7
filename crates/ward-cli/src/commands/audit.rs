//! `ward audit verify`: recompute the audit chain of an instance.

use std::io::Write as _;
use std::process::ExitCode;

use ward_desk::audit::ChainError;

use crate::cli::AuditCommand;
use crate::config::ServeFlags;

pub(crate) fn run(command: AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Verify(args) => {
            let config = super::serve::instance_config(args.instance, ServeFlags::default())?;
            super::serve::require_instance(&config)?;
            let mut out = std::io::stdout().lock();
            match ward_server::admin::verify_audit(&config) {
                Ok(verified) => {
                    writeln!(
                        out,
                        "audit log intact: {} events, head {}",
                        verified.events,
                        ward_desk::audit::hex(&verified.head)
                    )?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => match error.downcast_ref::<ChainError>() {
                    Some(broken) => {
                        writeln!(out, "audit log BROKEN: {broken}")?;
                        Ok(ExitCode::from(1))
                    }
                    None => Err(error),
                },
            }
        }
    }
}
