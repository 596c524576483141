//! The `pillole` command: parses the command line, calls the library and
//! maps the outcome to an exit code (0 success, 1 content or configuration
//! errors, 2 usage errors).

use clap::{Parser, Subcommand, ValueEnum};
use pillole::diagnostics::{self, Diagnostic};
use pillole::{BuildError, Options, BUILD_WARNINGS_SHOWN};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

// Builds allocate many small strings from several threads at once; mimalloc
// does that faster than the system allocator and fragments less. It is built
// without transparent huge pages (Cargo.toml, `no_thp`): a huge page counts
// whole in the memory a build holds however little of it is used, and the
// kernel zeroes all of it (10k benchmark pages: peak 313 -> 279 MB, 0.75 s
// less system time). It is mimalloc 2 (`v2`): it hands freed memory back
// after 10 ms where mimalloc 3 waits a second, and was also faster here
// (10k pages: wall 1.815 -> 1.761 s, peak 240 -> 226 MB).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Writes a line to standard output.
fn say(text: &str) {
    write_or_stop(std::io::stdout().lock(), &[text, "\n"]);
}

/// Writes `parts`; when the reader has gone (`pillole check --format json |
/// head`), stops quietly with success, as other command-line tools do.
fn write_or_stop(mut to: impl std::io::Write, parts: &[&str]) {
    let written = parts
        .iter()
        .try_for_each(|p| to.write_all(p.as_bytes()))
        .and_then(|()| to.flush());
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("errore: non riesco a scrivere il risultato: {e}");
        std::process::exit(1);
    }
}

#[derive(Parser)]
#[command(
    name = "pillole",
    version,
    about = "Crea siti accessibili di guide passo passo, diario ed eventi"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Crea il sito nella cartella di uscita (public/)
    Build {
        /// Cartella del sito (quella con site.yaml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Cartella di uscita (di solito ROOT/public)
        #[arg(long)]
        output: Option<PathBuf>,
        /// Includi le pagine in bozza (draft: true)
        #[arg(long)]
        drafts: bool,
        /// Indirizzo del sito pubblicato, al posto di base_url di site.yaml
        #[arg(long)]
        base_url: Option<String>,
        /// Data e ora di "oggi" (AAAA-MM-GGTHH:MM, ora di Roma), per build riproducibili
        #[arg(long, value_parser = parse_now)]
        now: Option<chrono::NaiveDateTime>,
        /// Crea le pagine che si possono fare anche se altre hanno errori (esce comunque con 1)
        #[arg(long)]
        keep_going: bool,
        /// Colori nei messaggi
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
    /// Controlla il sito senza scrivere niente
    Check {
        /// Cartella del sito (quella con site.yaml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Forma dei messaggi: per persone o JSON per strumenti
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fallisce anche con gli avvisi
        #[arg(long)]
        strict: bool,
        /// Raggruppa i messaggi per regola: quanti sono e dove sono i primi
        #[arg(long)]
        summary: bool,
        /// Controlla anche le pagine in bozza (draft: true)
        #[arg(long)]
        drafts: bool,
        /// Data e ora di "oggi" (AAAA-MM-GGTHH:MM, ora di Roma)
        #[arg(long, value_parser = parse_now)]
        now: Option<chrono::NaiveDateTime>,
        /// Colori nei messaggi
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
        /// Scrive in FILE (JSON; `-` per lo schermo) l'indice Gulpease di ogni tutorial e di ogni passo
        #[arg(long, value_name = "FILE")]
        reading_report: Option<PathBuf>,
    },
    /// Crea un nuovo file di contenuto
    New {
        /// Tipo di contenuto
        #[arg(value_enum)]
        kind: pillole::cli_new::NewKind,
        /// Titolo della pagina
        title: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Crea un nuovo sito nella cartella indicata
    Init {
        /// Cartella del nuovo sito
        dir: PathBuf,
    },
    /// Porta in pillole un sito fatto con Hugo, Jekyll, Zola, mdBook o una cartella di Markdown
    Import {
        /// Cartella del vecchio sito (resta com'è)
        src: PathBuf,
        /// Cartella del nuovo sito (nuova o vuota)
        dest: PathBuf,
    },
    /// Mostra il sito nel browser e lo aggiorna a ogni salvataggio
    Serve {
        /// Cartella del sito (quella con site.yaml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Indirizzo su cui ascoltare (0.0.0.0 per gli altri dispositivi della rete)
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Porta
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Apri l'anteprima nel browser
        #[arg(long)]
        open: bool,
        /// Data e ora di "oggi" (AAAA-MM-GGTHH:MM, ora di Roma)
        #[arg(long, value_parser = parse_now)]
        now: Option<chrono::NaiveDateTime>,
        /// Includi le pagine in bozza (draft: true)
        #[arg(long)]
        drafts: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

fn parse_now(s: &str) -> Result<chrono::NaiveDateTime, String> {
    pillole::parse_now(s)
}

fn use_color(c: Color) -> bool {
    match c {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

fn print_diagnostics(loaded: &pillole::Loaded, diags: &[Diagnostic], color: bool) {
    if diags.is_empty() {
        return;
    }
    write_or_stop(
        std::io::stderr().lock(),
        &[&diagnostics::to_human(diags, &|f| loaded.source(f), color)],
    );
}

/// For `build`: every error, and the first warnings only, so a site with
/// thousands of them still ends with a readable summary.
fn print_build_diagnostics(loaded: &pillole::Loaded, color: bool) {
    let mut warnings: usize = 0;
    let shown: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| {
            if d.is_error() {
                return true;
            }
            warnings += 1;
            warnings <= BUILD_WARNINGS_SHOWN
        })
        .cloned()
        .collect();
    print_diagnostics(loaded, &shown, color);
    let more = warnings.saturating_sub(BUILD_WARNINGS_SHOWN) + loaded.warnings_left_out;
    if more > 0 {
        eprintln!("… e altri {more} avvisi: `pillole check` li mostra tutti.");
    }
}

/// "2 errori, 1 avviso": `left_out` warnings were counted but not kept.
fn summary(diags: &[Diagnostic], left_out: usize) -> String {
    let errors = diagnostics::count_errors(diags);
    let warnings = diags.len() - errors + left_out;
    let errors = if errors == 1 {
        "1 errore".to_string()
    } else {
        format!("{errors} errori")
    };
    let warnings = if warnings == 1 {
        "1 avviso".to_string()
    } else {
        format!("{warnings} avvisi")
    };
    format!("{errors}, {warnings}")
}

/// How help is laid out, in Italian.
const HELP: &str = "{about-with-newline}\nUso: {usage}\n\n{all-args}{after-help}";

/// The command line with its help, headings and flags in Italian.
fn italian(cmd: clap::Command) -> clap::Command {
    cmd.help_template(HELP)
        .subcommand_help_heading("Comandi")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .mut_args(|a| {
            let heading = if a.is_positional() {
                "Argomenti"
            } else {
                "Opzioni"
            };
            a.help_heading(heading)
        })
        .arg(
            clap::Arg::new("aiuto")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help("Mostra questo aiuto")
                .help_heading("Opzioni"),
        )
        .mut_subcommands(italian)
}

/// The words clap writes on its own, in Italian.
fn italian_words(text: &str) -> String {
    text.replace("Usage:", "Uso:")
        .replace("[OPTIONS]", "[OPZIONI]")
        .replace("<COMMAND>", "<COMANDO>")
        .replace("[default: ", "[predefinito: ")
        .replace("[possible values: ", "[valori: ")
}

/// Reads the command line; a mistake in it is explained in Italian (exit 2).
fn parse_cli() -> Cli {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    use clap::{CommandFactory, FromArgMatches};
    let cmd = italian(Cli::command()).disable_version_flag(true).arg(
        clap::Arg::new("versione")
            .short('V')
            .long("version")
            .action(clap::ArgAction::Version)
            .help("Mostra la versione")
            .help_heading("Opzioni"),
    );
    let e = match cmd
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => return cli,
        Err(e) => e,
    };
    if e.kind() == ErrorKind::DisplayVersion {
        e.exit();
    }
    if e.kind() == ErrorKind::DisplayHelp {
        say(italian_words(&e.render().to_string()).trim_end());
        std::process::exit(0);
    }
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let arg = text(ContextKind::InvalidArg);
    let message = match e.kind() {
        ErrorKind::UnknownArgument => format!("l'opzione «{arg}» non esiste"),
        ErrorKind::InvalidSubcommand => {
            format!(
                "il comando «{}» non esiste",
                text(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::InvalidValue => {
            let valid = text(ContextKind::ValidValue);
            let value = text(ContextKind::InvalidValue);
            if valid.is_empty() {
                format!("manca il valore di {arg}")
            } else {
                format!("«{value}» non va bene per {arg}: scegli tra {valid}")
            }
        }
        ErrorKind::MissingRequiredArgument => format!("manca {arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "manca il comando: build, check, new, init, import o serve".to_string()
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(&e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            format!("il valore di {arg} non va bene: {why}")
        }
        _ => format!("la riga di comando non va bene ({arg})"),
    };
    let usage = e
        .get(ContextKind::Usage)
        .map(|u| format!("{}\n\n", italian_words(&u.to_string()).trim()))
        .unwrap_or_default();
    eprintln!(
        "errore: {}\n\n{usage}Per l'aiuto: pillole --help",
        italian_words(&message)
    );
    std::process::exit(2);
}

fn main() -> ExitCode {
    let cli = parse_cli();
    match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            base_url,
            now,
            keep_going,
            color,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let opts = Options {
                root,
                drafts,
                base_url,
                now: now.unwrap_or_else(pillole::now_in_rome),
            };
            let started = std::time::Instant::now();
            let on_errors = if keep_going {
                pillole::OnErrors::KeepGoing
            } else {
                pillole::OnErrors::Stop
            };
            let (loaded, result) =
                pillole::build_with(&opts, &output, &Default::default(), on_errors);
            let color = use_color(color);
            let code = match result {
                Ok(count) if !pillole::fatal(&loaded.diagnostics).is_empty() => {
                    print_build_diagnostics(&loaded, color);
                    let pages = loaded.site.as_ref().map(|s| s.pages.len()).unwrap_or(0);
                    eprintln!(
                        "Sito creato in {} senza le pagine con errori: {pages} pagine, {count} file ({}). Correggi gli errori e crealo di nuovo.",
                        output.display(),
                        summary(&loaded.diagnostics, loaded.warnings_left_out)
                    );
                    ExitCode::from(1)
                }
                Ok(count) => {
                    print_build_diagnostics(&loaded, color);
                    let pages = loaded.site.as_ref().map(|s| s.pages.len()).unwrap_or(0);
                    eprintln!(
                        "Sito creato in {}: {pages} pagine, {count} file, {} ms ({}).",
                        output.display(),
                        started.elapsed().as_millis(),
                        summary(&loaded.diagnostics, loaded.warnings_left_out)
                    );
                    ExitCode::SUCCESS
                }
                Err(BuildError::Content(_)) => {
                    print_build_diagnostics(&loaded, color);
                    let hint = if keep_going
                        || loaded
                            .diagnostics
                            .iter()
                            .any(|d| d.is_error() && d.file == "site.yaml")
                    {
                        ""
                    } else {
                        "\nPer creare intanto le pagine senza errori: pillole build --keep-going"
                    };
                    eprintln!(
                        "Il sito non è stato creato: {}. La cartella {} non è stata toccata.{hint}",
                        summary(&loaded.diagnostics, loaded.warnings_left_out),
                        output.display()
                    );
                    ExitCode::from(1)
                }
                Err(BuildError::Write(e)) => {
                    eprintln!("errore: {e}");
                    eprintln!(
                        "aiuto: scegli come uscita una cartella nuova, per esempio --output public"
                    );
                    ExitCode::from(1)
                }
            };
            // The process ends here and its memory goes back all at once;
            // freeing a big site's pages one by one would only add time.
            std::mem::forget(loaded);
            code
        }
        Command::Check {
            root,
            format,
            strict,
            summary: by_rule,
            drafts,
            now,
            color,
            reading_report,
        } => {
            let to_stdout = reading_report.as_deref() == Some(std::path::Path::new("-"));
            if to_stdout && format == Format::Json {
                eprintln!("errore: con --format json il resoconto di lettura va in un file: --reading-report FILE");
                return ExitCode::from(2);
            }
            let opts = Options {
                root,
                drafts,
                base_url: None,
                now: now.unwrap_or_else(pillole::now_in_rome),
            };
            let loaded = pillole::load(&opts);
            let diags = &loaded.diagnostics;
            let groups = || {
                diagnostics::by_rule(diags, &|id| {
                    pillole::check::rules::find(id)
                        .map(|r| r.summary.to_string())
                        .unwrap_or_default()
                })
            };
            match format {
                Format::Json if by_rule => {
                    say(&serde_json::to_string_pretty(&groups()).unwrap_or_else(|_| "[]".into()))
                }
                Format::Json => say(&diagnostics::to_json(diags)),
                Format::Human => {
                    if by_rule {
                        write_or_stop(
                            std::io::stderr().lock(),
                            &[&diagnostics::to_summary(&groups())],
                        );
                    } else {
                        print_diagnostics(&loaded, diags, use_color(color));
                    }
                    let warnings = diags.iter().any(|d| !d.is_error());
                    let note = if strict && warnings {
                        " (con --strict anche gli avvisi fanno fallire il controllo)"
                    } else {
                        ""
                    };
                    eprintln!("Controllo finito: {}{note}.", summary(diags, 0));
                }
            }
            if let Some(path) = &reading_report {
                let report = loaded
                    .site
                    .as_ref()
                    .map(pillole::check::reading::report)
                    .unwrap_or_default();
                let json = serde_json::to_string_pretty(&report).unwrap_or_else(|_| "[]".into());
                if to_stdout {
                    say(&json);
                } else if let Err(e) = std::fs::write(path, json + "\n") {
                    eprintln!(
                        "errore: non riesco a scrivere {}: {}",
                        path.display(),
                        pillole::io_reason(&e)
                    );
                    return ExitCode::from(1);
                }
            }
            let failed = diags.iter().any(|d| d.is_error()) || (strict && !diags.is_empty());
            if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::New { kind, title, root } => {
            match pillole::cli_new::new_page(&root, kind, &title, pillole::now_in_rome()) {
                Ok(path) => {
                    say(&format!(
                        "Creato {}\nÈ una bozza: la vedi con `pillole serve --drafts`. Quando è pronta, togli la riga `draft: true`.",
                        path.display()
                    ));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("errore: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Serve {
            root,
            bind,
            port,
            open,
            now,
            drafts,
        } => match pillole::serve::run(pillole::serve::ServeOptions {
            root,
            bind,
            port,
            open,
            now,
            drafts,
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("errore: {e}");
                ExitCode::from(1)
            }
        },
        Command::Import { src, dest } => match pillole::import::import(&src, &dest) {
            Ok(report) => {
                say(report.to_text().trim_end());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("errore: {e}");
                ExitCode::from(1)
            }
        },
        Command::Init { dir } => match pillole::cli_new::init(&dir) {
            Ok(()) => {
                say(&format!(
                    "Nuovo sito creato in {}. Ora: cd {} && pillole build",
                    dir.display(),
                    dir.display()
                ));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("errore: {e}");
                ExitCode::from(1)
            }
        },
    }
}
