use super::*;

fn out(name: &str, text: &str) -> Output {
    Output {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

fn io<T>(r: std::io::Result<T>) -> Result<T> {
    r.map_err(|e| Error::output(e.to_string()))
}

fn manifest_of(dir: &Path) -> Result<Manifest> {
    read_manifest(&dir.join(MANIFEST))
}

#[test]
fn rewrites_untouched_refuses_edited_and_foreign() -> Result<()> {
    let dir = io(tempfile::tempdir())?;
    let d = dir.path();
    write_all(d, &[out("a.md", "one")], false)?;
    write_all(d, &[out("a.md", "two")], false)?;
    assert_eq!(read(&d.join("a.md")).as_deref(), Some("two"));

    io(std::fs::write(d.join("a.md"), "edited by hand"))?;
    let err = write_all(d, &[out("b.md", "new"), out("a.md", "three")], false).err();
    assert!(err.is_some_and(|e| e.message.contains("was changed since congvan wrote it")));
    assert!(
        !d.join("b.md").exists(),
        "nothing is written when one file is refused"
    );
    assert_eq!(read(&d.join("a.md")).as_deref(), Some("edited by hand"));

    io(std::fs::write(d.join("c.md"), "mine"))?;
    let err = write_all(d, &[out("c.md", "x")], false).err();
    assert!(err.is_some_and(|e| e.message.contains("was not written by congvan")));

    write_all(d, &[out("a.md", "forced")], true)?;
    assert_eq!(read(&d.join("a.md")).as_deref(), Some("forced"));
    Ok(())
}

#[test]
fn a_killed_run_is_recovered_from_its_journal() -> Result<()> {
    let dir = io(tempfile::tempdir())?;
    let d = dir.path();
    write_all(d, &[out("a.md", "one")], false)?;
    // A run killed after renaming a.md and b.md but before saving the manifest, with a line
    // cut short (c.md never renamed) and a temp file left behind.
    io(std::fs::write(d.join("a.md"), "two"))?;
    io(std::fs::write(d.join("b.md"), "bee"))?;
    let journal = format!(
        "{{\"name\":\"a.md\",\"sha256\":\"{}\"}}\n{{\"name\":\"b.md\",\"sha256\":\"{}\"}}\n{{\"name\":\"c.md\",\"sha",
        sha256_hex(b"two"),
        sha256_hex(b"bee")
    );
    io(std::fs::write(d.join(JOURNAL), journal))?;
    io(std::fs::write(d.join(".congvan-tmp-x1y2z3"), ""))?;

    let report = write_all(d, &[out("a.md", "three"), out("b.md", "bee2")], false)?;
    assert_eq!(report.recovery.recovered, ["a.md", "b.md"]);
    assert_eq!(report.recovery.removed, [".congvan-tmp-x1y2z3"]);
    assert!(report.recovery.message(d).contains("2 file(s) recorded"));
    assert_eq!(read(&d.join("a.md")).as_deref(), Some("three"));
    assert!(!d.join(JOURNAL).exists());
    assert!(!d.join(".congvan-tmp-x1y2z3").exists());
    let m = manifest_of(d)?;
    assert_eq!(m.files.get("b.md"), Some(&sha256_hex(b"bee2")));
    Ok(())
}

#[test]
fn a_journal_entry_whose_file_differs_is_not_trusted() -> Result<()> {
    let dir = io(tempfile::tempdir())?;
    let d = dir.path();
    // The journal says congvan wrote "two", but the file holds an edit: not recorded.
    io(std::fs::write(d.join("a.md"), "edited"))?;
    let journal = format!(
        "{{\"name\":\"a.md\",\"sha256\":\"{}\"}}\n",
        sha256_hex(b"two")
    );
    io(std::fs::write(d.join(JOURNAL), journal))?;
    let err = write_all(d, &[out("a.md", "three")], false).err();
    assert!(err.is_some_and(|e| e.message.contains("was not written by congvan")));
    assert_eq!(read(&d.join("a.md")).as_deref(), Some("edited"));
    Ok(())
}

#[test]
fn a_second_run_waits_then_fails_clearly() -> Result<()> {
    let dir = io(tempfile::tempdir())?;
    let d = dir.path();
    let first = Plan::new(d, &["a.md"], false)?;
    let start = Instant::now();
    let err = Plan::with_wait(d, &["a.md"], false, Duration::from_millis(300)).err();
    assert!(start.elapsed() >= Duration::from_millis(300));
    assert!(err.is_some_and(|e| e.message.contains("another congvan run is writing into")));
    drop(first);
    Plan::with_wait(d, &["a.md"], false, Duration::from_millis(300))?;
    Ok(())
}

#[test]
fn an_edit_made_while_staging_is_not_overwritten_and_nothing_lands() -> Result<()> {
    let dir = io(tempfile::tempdir())?;
    let d = dir.path();
    write_all(d, &[out("a.md", "one"), out("b.md", "one")], false)?;
    let mut plan = Plan::new(d, &["a.md", "b.md"], false)?;
    plan.stage(&out("a.md", "two"))?;
    plan.stage(&out("b.md", "two"))?;
    io(std::fs::write(d.join("b.md"), "edited meanwhile"))?;
    let err = plan.commit().err();
    assert!(err.is_some_and(|e| e.message.contains("was changed since congvan wrote it")));
    assert_eq!(read(&d.join("a.md")).as_deref(), Some("one"));
    assert_eq!(read(&d.join("b.md")).as_deref(), Some("edited meanwhile"));
    let left: Vec<_> = io(std::fs::read_dir(d))?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
        .collect();
    assert!(left.is_empty(), "staged temp files are deleted");
    Ok(())
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_refused_unopened_even_with_force() -> Result<()> {
    use std::os::unix::fs::symlink;
    let dir = io(tempfile::tempdir())?;
    let d = dir.path();
    let fifo = std::ffi::CString::new(d.join("a.md").as_os_str().as_encoded_bytes().to_vec())
        .map_err(|e| Error::output(e.to_string()))?;
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    io(symlink("/dev/zero", d.join("b.md")))?;
    io(std::fs::write(d.join("c.md"), "mine"))?;
    for force in [false, true] {
        let err = write_all(d, &[out("a.md", "x"), out("c.md", "x")], force).err();
        assert!(err.is_some_and(|e| e.message.contains("neither reads nor replaces")));
        let err = write_all(d, &[out("b.md", "x")], force).err();
        assert!(err.is_some_and(|e| e.message.contains("neither reads nor replaces")));
    }
    assert_eq!(
        read(&d.join("c.md")).as_deref(),
        Some("mine"),
        "force is all or nothing"
    );
    Ok(())
}

#[cfg(unix)]
#[test]
fn new_files_follow_the_umask_and_replaced_ones_keep_their_mode() -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = io(tempfile::tempdir())?;
    let d = dir.path();
    let mode = |p: &Path| io(std::fs::metadata(p)).map(|m| m.permissions().mode() & 0o777);
    // SAFETY: umask only swaps the process mask; read it back by setting it twice.
    let umask = unsafe {
        let old = libc::umask(0o022);
        libc::umask(old);
        old
    } as u32;
    write_all(d, &[out("a.md", "one")], false)?;
    assert_eq!(mode(&d.join("a.md"))?, 0o666 & !umask);
    io(std::fs::set_permissions(
        d.join("a.md"),
        std::fs::Permissions::from_mode(0o600),
    ))?;
    write_all(d, &[out("a.md", "two")], false)?;
    assert_eq!(mode(&d.join("a.md"))?, 0o600);
    assert_eq!(read(&d.join("a.md")).as_deref(), Some("two"));
    Ok(())
}
