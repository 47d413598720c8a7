//! `ward audit verify`: recompute the audit chain of an instance and audit its transparency
//! log against it.

use std::io::Write as _;
use std::process::ExitCode;

use ward_desk::audit::ChainError;
use ward_server::admin::LogBroken;

use crate::cli::AuditCommand;
use crate::config::ServeFlags;

pub(crate) fn run(command: AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Verify(args) => {
            let config = super::serve::instance_config(args.instance, ServeFlags::default())?;
            super::serve::require_instance(&config)?;
            let mut out = std::io::stdout().lock();
            let mut intact = true;
            match ward_server::admin::verify_audit(&config) {
                Ok(verified) => {
                    writeln!(
                        out,
                        "audit log intact: {} events, head {}",
                        verified.events,
                        ward_desk::audit::hex(&verified.head)
                    )?;
                }
                Err(error) => match error.downcast_ref::<ChainError>() {
                    Some(broken) => {
                        writeln!(out, "audit log BROKEN: {broken}")?;
                        intact = false;
                    }
                    None => return Err(error),
                },
            }
            match ward_server::admin::verify_log(&config) {
                Ok(log) => {
                    writeln!(
                        out,
                        "transparency log intact: {} (size {}), its {} audit events match the \
                         database's",
                        log.origin, log.size, log.audit_logged
                    )?;
                }
                Err(error) => match error.downcast_ref::<LogBroken>() {
                    Some(broken) => {
                        writeln!(out, "transparency log BROKEN: {broken}")?;
                        intact = false;
                    }
                    None => return Err(error),
                },
            }
            Ok(if intact {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}
