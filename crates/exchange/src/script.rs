//! PowerShell for Exchange Online: the upload script and the backup script. Pure functions of
//! their inputs (the generation time is a parameter).
//!
//! The scripts run unchanged in Windows PowerShell 5.1 and PowerShell 7: no `-Encoding Byte`
//! (gone in 6), no `-AsByteStream` (not in 5.1), no `??`, ternaries or `&&`/`||` (7 only), and
//! the store is embedded as base64 so that no file is read at run time (a relative path given
//! to .NET resolves against the process's folder, not PowerShell's).
//!
//! Subjects and friendly names are untrusted: they appear only inside `#` line comments,
//! rendered by [`comment_text`] as printable ASCII with no line break and no `<#` or `#>`, so
//! they cannot end the comment or reach code. Everything outside comments is either fixed text
//! or made here from bytes: hexadecimal digits, base64 characters and decimal numbers. The
//! scripts are pure ASCII, so the file's encoding cannot change their meaning either (5.1 reads
//! a file without a byte-order mark in the ANSI code page).

use std::fmt::Write as _;

use base64::Engine as _;
use sha2::Digest as _;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

use crate::plan::{CertificateLine, Diff, hex};

/// Base64 characters per line of the embedded store.
pub const BASE64_LINE: usize = 76;

/// Longest rendering of one untrusted string in a comment, in characters of the original.
const COMMENT_MAX_CHARS: usize = 200;

/// Replace or merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mode {
    /// The upload replaces whatever is there (the script still saves it first).
    Replace,
    /// The upload was built from the current value, whose SHA-256 is given: the script stops
    /// when the value has changed since.
    Merge {
        /// SHA-256 of the current value the merge was built from.
        current_sha256: [u8; 32],
    },
}

/// What the upload script is made from.
#[derive(Debug, Clone, Copy)]
pub struct Plan<'a> {
    /// The exact bytes to upload.
    pub store: &'a [u8],
    /// The elements of that store, for the comment block and the expiry check at run time.
    pub certificates: &'a [CertificateLine],
    /// Replace or merge.
    pub mode: Mode,
    /// In a merge: what is added, kept and removed (marks the comment block).
    pub diff: Option<&'a Diff>,
    /// When the script was generated (written in its header).
    pub generated: OffsetDateTime,
}

/// Renders untrusted text for a `#` comment: printable ASCII stays (except `\`, written `\\`),
/// a `#` next to `<` or `>` and every other character (line breaks, U+2028, U+2029, U+0085,
/// control and bidi characters, all non-ASCII) become `\u{XXXX}`. Long text is cut after
/// 200 characters with a note.
pub fn comment_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate().take(COMMENT_MAX_CHARS) {
        let before = i.checked_sub(1).and_then(|j| chars.get(j));
        let after = chars.get(i + 1);
        match c {
            '\\' => out.push_str("\\\\"),
            '#' if before == Some(&'<') || after == Some(&'>') => out.push_str("\\u{0023}"),
            ' '..='~' => out.push(c),
            _ => {
                let _ = write!(out, "\\u{{{:04X}}}", u32::from(c));
            }
        }
    }
    if chars.len() > COMMENT_MAX_CHARS {
        let _ = write!(
            out,
            " ... ({} more characters)",
            chars.len() - COMMENT_MAX_CHARS
        );
    }
    out
}

fn stamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

/// A thumbprint fit for code: 40 hexadecimal digits, upper-cased; anything else is `None`.
fn code_sha1(sha1: &str) -> Option<String> {
    (sha1.len() == 40 && sha1.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| sha1.to_ascii_uppercase())
}

/// `[DateTime]::new(...)` for a UTC time (years clamped to .NET's 1..9999).
fn ps_datetime(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "[DateTime]::new({}, {}, {}, {}, {}, {}, [DateTimeKind]::Utc)",
        t.year().clamp(1, 9999),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The comment block that lists the elements of the upload for the reviewer.
fn certificate_comment(out: &mut String, plan: &Plan<'_>) {
    let added: Vec<&str> = plan
        .diff
        .map(|d| d.added.iter().map(|l| l.sha1.as_str()).collect())
        .unwrap_or_default();
    out.push_str(
        "# ---------------------------------------------------------------------------------------\n\
         # What this script uploads, for review. Subjects and friendly names are quoted from the\n\
         # certificates and the store; characters other than printable ASCII are written \\u{XXXX}\n\
         # and a backslash is doubled. They are comments only: nothing below reads them.\n\
         #\n",
    );
    if plan.certificates.is_empty() {
        out.push_str("#   (no elements)\n");
    }
    for (i, c) in plan.certificates.iter().enumerate() {
        let state = match (plan.diff, added.contains(&c.sha1.as_str())) {
            (None, _) => "",
            (Some(_), true) => "  (new)",
            (Some(_), false) => "  (already uploaded)",
        };
        describe(out, i + 1, c, state);
    }
    if let Some(d) = plan.diff {
        out.push_str("#\n# Removed from the current value by this upload:\n");
        if d.removed.is_empty() {
            out.push_str("#   (none)\n");
        }
        for (i, c) in d.removed.iter().enumerate() {
            describe(out, i + 1, c, "");
        }
    }
    out.push_str(
        "# ---------------------------------------------------------------------------------------\n\n",
    );
}

fn describe(out: &mut String, n: usize, c: &CertificateLine, state: &str) {
    let _ = writeln!(
        out,
        "#   {n}. {} SHA-1 {}{state}",
        c.kind,
        comment_text(&c.sha1)
    );
    let _ = writeln!(
        out,
        "#      subject:       {}",
        c.subject
            .as_deref()
            .map_or_else(|| "(none: not a parsable certificate)".into(), comment_text)
    );
    let _ = writeln!(
        out,
        "#      expires:       {}",
        c.not_after.map_or_else(|| "(unknown)".into(), stamp)
    );
    let _ = writeln!(
        out,
        "#      friendly name: {}",
        c.friendly_name
            .as_deref()
            .map_or_else(|| "(none)".into(), comment_text)
    );
}

/// Functions both scripts use. Fixed text.
const HELPERS: &str = r#"function Stop-Script {
    # Reports a failure and ends the script with exit code 1.
    param([string] $Message)
    Write-Host ('ERROR: ' + $Message) -ForegroundColor Red
    exit 1
}

function Get-Sha256Hex {
    param([byte[]] $Bytes)
    $sha256 = [System.Security.Cryptography.SHA256]::Create()
    try {
        return [System.BitConverter]::ToString($sha256.ComputeHash($Bytes)).Replace('-', '')
    } finally {
        $sha256.Dispose()
    }
}

function Find-Difference {
    # The first position where two byte arrays differ, or -1 when they are equal.
    param([byte[]] $Expected, [byte[]] $Actual)
    $common = [Math]::Min($Expected.Length, $Actual.Length)
    for ($i = 0; $i -lt $common; $i++) {
        if ($Expected[$i] -ne $Actual[$i]) {
            return $i
        }
    }
    if ($Expected.Length -ne $Actual.Length) {
        return $common
    }
    return -1
}

function Read-IssuingCA {
    # The current SMIMECertificateIssuingCA as a byte[]: empty when nothing has been uploaded.
    $value = (Get-SmimeConfig).SMIMECertificateIssuingCA
    if ($null -eq $value) {
        $bytes = [byte[]]@()
    } elseif ($value -is [string]) {
        $bytes = [System.Convert]::FromBase64String($value)
    } else {
        $bytes = [byte[]]$value
    }
    # The comma returns the array itself, not its bytes one by one.
    return , $bytes
}

function Test-ExchangeSession {
    if (-not (Get-Command -Name Get-SmimeConfig -ErrorAction SilentlyContinue)) {
        return $false
    }
    try {
        $null = Get-SmimeConfig
        return $true
    } catch {
        return $false
    }
}

function Connect-IfNeeded {
    param([string] $UserPrincipalName)
    if (Test-ExchangeSession) {
        Write-Host 'Using the current Exchange Online session.'
        return
    }
    if (-not (Get-Module -ListAvailable -Name ExchangeOnlineManagement)) {
        Stop-Script 'the ExchangeOnlineManagement module is not installed, so this script cannot reach Exchange Online. Install it with: Install-Module -Name ExchangeOnlineManagement -Scope CurrentUser; then run this script again. Nothing was changed.'
    }
    # Connecting changes nothing in the organisation: do it under -WhatIf too.
    $WhatIfPreference = $false
    Import-Module -Name ExchangeOnlineManagement
    Write-Host 'Connecting to Exchange Online...'
    if ($UserPrincipalName) {
        Connect-ExchangeOnline -UserPrincipalName $UserPrincipalName -ShowBanner:$false
    } else {
        Connect-ExchangeOnline -ShowBanner:$false
    }
    if (-not (Test-ExchangeSession)) {
        Stop-Script 'connected, but Get-SmimeConfig is not available to this account: it needs an Exchange Online role that includes it (Organization Management, for example). Nothing was changed.'
    }
}

function Get-BackupPath {
    # An absolute, timestamped path next to this script (or in the current folder when the
    # script is pasted into a console).
    param([string] $Prefix)
    $folder = $PSScriptRoot
    if (-not $folder) {
        $folder = (Get-Location -PSProvider FileSystem).ProviderPath
    }
    $stamp = [DateTime]::UtcNow.ToString('yyyyMMdd-HHmmss-fff', [System.Globalization.CultureInfo]::InvariantCulture)
    return [System.IO.Path]::Combine($folder, $Prefix + '-' + $stamp + 'Z.sst')
}

function Save-Value {
    # Writes the bytes to a new file, reads them back, and stops the script unless both match.
    param([string] $Path, [byte[]] $Bytes)
    if ([System.IO.File]::Exists($Path)) {
        Stop-Script ($Path + ' already exists. Nothing was changed.')
    }
    try {
        [System.IO.File]::WriteAllBytes($Path, $Bytes)
        $written = [System.IO.File]::ReadAllBytes($Path)
    } catch {
        Stop-Script ('cannot save the current value to ' + $Path + ': ' + $_.Exception.Message + ' Nothing was changed.')
    }
    if ((Find-Difference -Expected $Bytes -Actual $written) -ge 0) {
        Stop-Script ('the file ' + $Path + ' does not hold the bytes written to it. Nothing was changed.')
    }
}

"#;

/// The upload script's functions beyond [`HELPERS`].
const UPLOAD_HELPERS: &str = r#"function Get-Thumbprint {
    # The SHA-1 thumbprints of the certificates in a store, or $null when .NET cannot read it
    # (it reads serialized stores on Windows only).
    param([byte[]] $Bytes)
    $thumbprints = @()
    if ($Bytes.Length -eq 0) {
        return , $thumbprints
    }
    try {
        $collection = New-Object -TypeName System.Security.Cryptography.X509Certificates.X509Certificate2Collection
        $collection.Import($Bytes)
    } catch {
        return $null
    }
    foreach ($certificate in $collection) {
        $thumbprints += $certificate.Thumbprint.ToUpperInvariant()
    }
    return , $thumbprints
}

"#;

const UPLOAD_MAIN_START: &str = r#"try {
    # 1. The embedded store must be intact and no certificate in it may have expired since the
    #    script was generated (Exchange Online refuses the whole upload if one has).
    $newValue = [System.Convert]::FromBase64String($newBase64)
    $newThumbprints = @()
    foreach ($certificate in $certificates) {
        $newThumbprints += $certificate.Sha1
    }
    if (($newValue.Length -ne $newLength) -or ((Get-Sha256Hex -Bytes $newValue) -ne $newSha256)) {
        Stop-Script 'the store embedded in this script does not match its SHA-256: the script was damaged or edited. Generate it again. Nothing was changed.'
    }
    $now = [DateTime]::UtcNow
    $expired = @()
    foreach ($certificate in $certificates) {
        if ($certificate.NotAfter -lt $now) {
            $expired += ($certificate.Sha1 + ' (expired ' + $certificate.NotAfter.ToString('yyyy-MM-dd', [System.Globalization.CultureInfo]::InvariantCulture) + ')')
        }
    }
    if ($expired.Count -gt 0) {
        Stop-Script ('these certificates have expired since the script was generated, and Exchange Online refuses an upload with any expired certificate: ' + ($expired -join ', ') + '. Remove or renew them and generate the script again. Nothing was changed.')
    }
    Write-Host ('This script uploads ' + $newThumbprints.Count + ' certificates (' + $newLength + ' bytes, SHA-256 ' + $newSha256 + ').')

    # 2. A session with Exchange Online.
    Connect-IfNeeded -UserPrincipalName $UserPrincipalName

    # 3. The current value: what changes, and a backup before anything changes.
    $current = Read-IssuingCA
    $currentSha256 = Get-Sha256Hex -Bytes $current
    if ($current.Length -eq 0) {
        Write-Host 'The current value is empty: no certificate authority has been uploaded yet.'
    } else {
        Write-Host ('The current value has ' + $current.Length + ' bytes, SHA-256 ' + $currentSha256 + '.')
    }
    $currentThumbprints = Get-Thumbprint -Bytes $current
    if ($null -eq $currentThumbprints) {
        Write-Host 'This platform cannot list the certificates in the current value; the upload replaces it whole.'
    } else {
        foreach ($thumbprint in $newThumbprints) {
            if ($currentThumbprints -contains $thumbprint) {
                Write-Host ('  keep    ' + $thumbprint)
            } else {
                Write-Host ('  add     ' + $thumbprint)
            }
        }
        foreach ($thumbprint in $currentThumbprints) {
            if ($newThumbprints -notcontains $thumbprint) {
                Write-Host ('  remove  ' + $thumbprint)
            }
        }
    }
    $backupPath = Get-BackupPath -Prefix 'SMIMECertificateIssuingCA-backup'
    if ($PSCmdlet.ShouldProcess($backupPath, 'Save the current SMIMECertificateIssuingCA value (' + $current.Length + ' bytes)')) {
        Save-Value -Path $backupPath -Bytes $current
        if ($current.Length -eq 0) {
            Write-Host ('Saved the current value (empty) to ' + $backupPath)
        } else {
            Write-Host ('Saved the current value to ' + $backupPath)
        }
        $rollback = "Set-SmimeConfig -SMIMECertificateIssuingCA ([System.IO.File]::ReadAllBytes('" + $backupPath.Replace("'", "''") + "'))"
        Write-Host ('To roll back: ' + $rollback)
    } elseif (-not $WhatIfPreference) {
        Stop-Script 'not going on without a backup of the current value. Nothing was changed.'
    }

"#;

const MERGE_CHECK: &str = r#"    # 3b. A merge was built from one current value: stop if someone has changed it since.
    if ($currentSha256 -ne $expectedCurrentSha256) {
        Stop-Script ('the current value has changed since this script was generated (it was built from SHA-256 ' + $expectedCurrentSha256 + ', the value now has ' + $currentSha256 + '), so uploading would undo that change. Nothing was changed. Build the merge again from the current value: smimetrust exchange script INPUT... --merge-with BACKUP -o upload.ps1, with the backup file saved above (or by a backup script).')
    }
    Write-Host 'The current value is the one this merge was built from.'

"#;

const UPLOAD_MAIN_END: &str = r#"    # 4. Upload, unless the value is already this store.
    if ((Find-Difference -Expected $newValue -Actual $current) -lt 0) {
        Write-Host 'SMIMECertificateIssuingCA already holds exactly this store: nothing to do.'
        exit 0
    }
    $target = 'SMIMECertificateIssuingCA (the S/MIME certificate authorities of this organisation)'
    $action = 'Replace the ' + $current.Length + '-byte value with ' + $newLength + ' bytes (' + $newThumbprints.Count + ' certificates, SHA-256 ' + $newSha256 + ')'
    if (-not $PSCmdlet.ShouldProcess($target, $action)) {
        Write-Host 'Nothing was changed.'
        exit 0
    }
    try {
        Set-SmimeConfig -SMIMECertificateIssuingCA $newValue -Confirm:$false
    } catch {
        Stop-Script ('Set-SmimeConfig failed: ' + $_.Exception.Message + ' The value should be unchanged; check it with Get-SmimeConfig.')
    }

    # 5. Read the value back and compare it byte for byte with what was sent.
    $after = Read-IssuingCA
    $difference = Find-Difference -Expected $newValue -Actual $after
    if ($difference -ge 0) {
        Stop-Script ('the value read back differs from the one sent: ' + $after.Length + ' bytes read, ' + $newLength + ' sent, first difference at byte ' + $difference + ' (SHA-256 read ' + (Get-Sha256Hex -Bytes $after) + '). If it does not settle within a few minutes, roll back: ' + $rollback)
    }
    Write-Host ('Done: SMIMECertificateIssuingCA holds the ' + $newThumbprints.Count + ' certificates of this script (' + $newLength + ' bytes, SHA-256 ' + $newSha256 + '), read back and identical byte for byte.')
    exit 0
} catch {
    Stop-Script ($_.Exception.Message + ' (line ' + $_.InvocationInfo.ScriptLineNumber + ')')
}
"#;

/// The upload script for `plan`.
pub fn upload_script(plan: &Plan<'_>) -> String {
    let sha256 = hex(&sha2::Sha256::digest(plan.store));
    let merge = match plan.mode {
        Mode::Replace => None,
        Mode::Merge { current_sha256 } => Some(hex(&current_sha256)),
    };
    let mut out = String::with_capacity(plan.store.len() * 2 + 16_384);
    out.push_str("<#\n.SYNOPSIS\nUploads the S/MIME certificate authorities of this organisation to Exchange Online\n(Set-SmimeConfig -SMIMECertificateIssuingCA).\n\n.DESCRIPTION\n");
    let _ = writeln!(
        out,
        "Generated by smimetrust {} at {}.\n",
        env!("CARGO_PKG_VERSION"),
        stamp(plan.generated)
    );
    let _ = writeln!(
        out,
        "Sets SMIMECertificateIssuingCA to the store embedded in this script: {} elements,\n{} bytes, SHA-256 {sha256}.\nThe new value replaces the whole current list of certificate authorities.\n",
        plan.certificates.len(),
        plan.store.len()
    );
    match &merge {
        None => out.push_str(
            "Mode: replace. Whatever the current value holds, the upload replaces it.\n\n",
        ),
        Some(current) => {
            let _ = writeln!(
                out,
                "Mode: merge. The store was built from the current value with SHA-256\n{current}\nplus the new certificates. If the value has changed since, the script stops\nwithout changing anything, so that two admins cannot undo each other's uploads.\n"
            );
        }
    }
    out.push_str(
        "Steps: check the embedded store and that none of its certificates has expired; connect to\n\
         Exchange Online unless a session exists; read the current value and show what changes;\n\
         save it to a timestamped file next to this script and print the command that restores it;\n",
    );
    if merge.is_some() {
        out.push_str("check that the current value is the one the merge was built from;\n");
    }
    out.push_str(
        "upload with Set-SmimeConfig; read the value back and compare it byte for byte. Any failure\n\
         ends the script with exit code 1.\n\n\
         Run it with -WhatIf first: it then connects and reads, but saves and changes nothing.\n\
         Runs in Windows PowerShell 5.1 and PowerShell 7 with the ExchangeOnlineManagement module.\n\n\
         To roll back, run the command the script prints after saving the backup:\n\
         \x20   Set-SmimeConfig -SMIMECertificateIssuingCA ([System.IO.File]::ReadAllBytes('BACKUP'))\n\
         with the absolute path of the backup file.\n\n\
         .PARAMETER UserPrincipalName\n\
         The admin account to connect with, when there is no Exchange Online session yet.\n\n\
         .EXAMPLE\n\
         .\\upload.ps1 -WhatIf\n\n\
         .EXAMPLE\n\
         .\\upload.ps1 -UserPrincipalName admin@contoso.onmicrosoft.com\n\
         #>\n\n",
    );
    certificate_comment(&mut out, plan);
    out.push_str(
        "[CmdletBinding(SupportsShouldProcess = $true)]\nparam(\n    [string] $UserPrincipalName\n)\n\n\
         $ErrorActionPreference = 'Stop'\nSet-StrictMode -Version 2.0\n\n",
    );
    out.push_str("# The store to upload, and what the script checks it against.\n");
    let _ = writeln!(out, "$newLength = {}", plan.store.len());
    let _ = writeln!(out, "$newSha256 = '{sha256}'");
    if let Some(current) = &merge {
        let _ = writeln!(out, "$expectedCurrentSha256 = '{current}'");
    }
    out.push_str("$newBase64 = @(\n");
    let encoded = base64::engine::general_purpose::STANDARD.encode(plan.store);
    for line in encoded.as_bytes().chunks(BASE64_LINE) {
        // Base64 is ASCII: the lossy conversion never replaces anything.
        let _ = writeln!(out, "    '{}'", String::from_utf8_lossy(line));
    }
    out.push_str(") -join ''\n\n");
    out.push_str("# The certificates' thumbprints and expiry (UTC), to stop before Exchange refuses an expired one.\n$certificates = @(\n");
    for c in plan.certificates {
        if let (Some(sha1), Some(not_after)) = (code_sha1(&c.sha1), c.not_after) {
            let _ = writeln!(
                out,
                "    @{{ Sha1 = '{sha1}'; NotAfter = {} }}",
                ps_datetime(not_after)
            );
        }
    }
    out.push_str(")\n\n");
    out.push_str(HELPERS);
    out.push_str(UPLOAD_HELPERS);
    out.push_str(UPLOAD_MAIN_START);
    if merge.is_some() {
        out.push_str(MERGE_CHECK);
    }
    out.push_str(UPLOAD_MAIN_END);
    out
}

const BACKUP_MAIN: &str = r#"try {
    Connect-IfNeeded -UserPrincipalName $UserPrincipalName
    $current = Read-IssuingCA
    $path = Get-BackupPath -Prefix 'SMIMECertificateIssuingCA'
    Save-Value -Path $path -Bytes $current
    if ($current.Length -eq 0) {
        Write-Host ('The current value is empty (no certificate authority uploaded yet); saved an empty file: ' + $path)
    } else {
        Write-Host ('Saved the current value (' + $current.Length + ' bytes, SHA-256 ' + (Get-Sha256Hex -Bytes $current) + ') to ' + $path)
    }
    Write-Host 'Next, merge new certificate authorities into it with:'
    Write-Host ("    smimetrust exchange script INPUT... --merge-with '" + $path.Replace("'", "''") + "' -o upload.ps1")
    exit 0
} catch {
    Stop-Script ($_.Exception.Message + ' (line ' + $_.InvocationInfo.ScriptLineNumber + ')')
}
"#;

/// The script that saves the current `SMIMECertificateIssuingCA` value, as raw bytes, to a
/// timestamped `.sst` next to itself (for `smimetrust exchange script --merge-with`). It changes
/// nothing in Exchange Online.
pub fn backup_script(generated: OffsetDateTime) -> String {
    let mut out = String::with_capacity(8192);
    out.push_str("<#\n.SYNOPSIS\nSaves the S/MIME certificate authorities Exchange Online holds for this organisation\n(Get-SmimeConfig).SMIMECertificateIssuingCA to a file.\n\n.DESCRIPTION\n");
    let _ = writeln!(
        out,
        "Generated by smimetrust {} at {}.\n",
        env!("CARGO_PKG_VERSION"),
        stamp(generated)
    );
    out.push_str(
        "Connects to Exchange Online unless a session exists, reads SMIMECertificateIssuingCA and\n\
         writes its bytes, unchanged, to a new timestamped .sst file next to this script (an empty\n\
         file when nothing has been uploaded yet). It changes nothing in Exchange Online.\n\n\
         Then merge new certificate authorities into it:\n\
         \x20   smimetrust exchange script INPUT... --merge-with FILE -o upload.ps1\n\
         The upload script checks that the value is still the one saved here before it uploads.\n\n\
         Runs in Windows PowerShell 5.1 and PowerShell 7 with the ExchangeOnlineManagement module.\n\n\
         .PARAMETER UserPrincipalName\n\
         The admin account to connect with, when there is no Exchange Online session yet.\n\n\
         .EXAMPLE\n\
         .\\get-current.ps1 -UserPrincipalName admin@contoso.onmicrosoft.com\n\
         #>\n\n\
         [CmdletBinding()]\nparam(\n    [string] $UserPrincipalName\n)\n\n\
         $ErrorActionPreference = 'Stop'\nSet-StrictMode -Version 2.0\n\n",
    );
    out.push_str(HELPERS);
    out.push_str(BACKUP_MAIN);
    out
}
