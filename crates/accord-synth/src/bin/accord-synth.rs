//! Writes a generated corpus to disk, for load tests and demonstrations:
//! `accord-synth --pages 100000 --out DIR [--seed N]`. Pages go into
//! subfolders of a thousand. `accord-synth --hostile SCALE --out DIR`
//! writes the hostile corpus instead (`accord_synth::hostile`, scaled:
//! SCALE signings on one page, SCALE×100 characters of prose, SCALE×10
//! repeated names), for `scripts/hostile`.

use accord_synth::world::World;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut pages = 1000usize;
    let mut out: Option<PathBuf> = None;
    let mut seed = 2026u64;
    let mut hostile: Option<usize> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let value = args.next();
        let parsed = match (a.as_str(), value) {
            ("--pages", Some(v)) => v.parse().map(|n| pages = n).is_ok(),
            ("--seed", Some(v)) => v.parse().map(|n| seed = n).is_ok(),
            ("--hostile", Some(v)) => v.parse().map(|n| hostile = Some(n)).is_ok(),
            ("--out", Some(v)) => {
                out = Some(PathBuf::from(v));
                true
            }
            _ => false,
        };
        if !parsed {
            eprintln!("error: unexpected argument «{a}»\nusage: accord-synth --pages N --out DIR [--seed N] | --hostile SCALE --out DIR");
            return ExitCode::FAILURE;
        }
    }
    let Some(out) = out else {
        eprintln!("error: --out DIR is required\nusage: accord-synth --pages N --out DIR [--seed N] | --hostile SCALE --out DIR");
        return ExitCode::FAILURE;
    };
    if let Some(scale) = hostile {
        return write_hostile(&out, scale);
    }
    let world = World::new(seed, pages);
    for (i, p) in world.pages(seed, pages).enumerate() {
        let dir = out.join(format!("{:03}", i / 1000));
        if i % 1000 == 0 {
            if let Err(e) = std::fs::create_dir_all(&dir) {
                eprintln!("error: {}: {e}", dir.display());
                return ExitCode::FAILURE;
            }
        }
        if let Err(e) = std::fs::write(dir.join(&p.name), &p.text) {
            eprintln!("error: {}: {e}", dir.join(&p.name).display());
            return ExitCode::FAILURE;
        }
    }
    eprintln!("{pages} pages written to {}", out.display());
    ExitCode::SUCCESS
}

/// Writes the hostile corpus at `scale` into `out`.
fn write_hostile(out: &std::path::Path, scale: usize) -> ExitCode {
    use accord_synth::hostile;
    let pages = [
        ("signings.txt", hostile::signings(scale)),
        ("long.txt", hostile::long_page(scale * 100)),
        ("names.txt", hostile::repeated_names(scale * 10)),
        ("plain.txt", hostile::signings(1)),
    ];
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("error: {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    for (name, text) in pages {
        if let Err(e) = std::fs::write(out.join(name), text) {
            eprintln!("error: {}: {e}", out.join(name).display());
            return ExitCode::FAILURE;
        }
    }
    eprintln!("hostile corpus (scale {scale}) written to {}", out.display());
    ExitCode::SUCCESS
}
