#!/usr/bin/env python3
"""Hostile inputs for bench/hostile.sh: each is what issue 17 named as an availability attack,
at up to ~20 MB, plus a genuine signed message of the same size as the reference.

    bench/hostile.py OUTDIR

Uses the committed test PKI (fixtures/smime/pki) and openssl for the genuine messages."""
import os
import subprocess
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
repo = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
pki = os.path.join(repo, "fixtures/smime/pki")
base = open(os.path.join(repo, "fixtures/smime/messages/rsa-sha256.detached.eml"), "rb").read()


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


# The genuine reference: a 15 MB text part, detached multipart/signed (about 20 MB), and opaque.
text = os.urandom(11_000_000).hex().encode()
lines = b"\r\n".join(text[i:i + 76] for i in range(0, len(text), 76))
write("content.eml", b"Content-Type: text/plain\r\n\r\n" + lines + b"\r\n")
for name, extra in (("reference-detached.eml", []), ("reference-opaque.eml", ["-nodetach"])):
    subprocess.run(
        ["openssl", "smime", "-sign", "-binary", *extra,
         "-in", os.path.join(out, "content.eml"),
         "-signer", os.path.join(pki, "rsa.pem"), "-inkey", os.path.join(pki, "rsa.key.pem"),
         "-certfile", os.path.join(pki, "intermediate.pem"),
         "-out", os.path.join(out, name)],
        check=True)
os.remove(os.path.join(out, "content.eml"))

# A signature part that is a deep non-base64 multipart (used to overflow the stack).
head = (b'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; '
        b'micalg=sha-256; boundary="S"\r\n\r\n--S\r\nContent-Type: text/plain\r\n\r\nhello\r\n--S\r\n')
deep = b"".join(b'Content-Type: multipart/mixed; boundary="d%dq"\r\n\r\n--d%dq\r\n' % (i, i)
                for i in range(300_000))
write("deep-signature-part.eml", head + deep + b"\r\n--S--\r\n")
# Deep unsigned nesting around a signature (the multipart budget stops it).
nest = b"".join(b'Content-Type: multipart/mixed; boundary="n%dq"\r\n\r\n--n%dq\r\n' % (i, i)
                for i in range(200_000))
close = b"".join(b"\r\n--n%dq--" % i for i in reversed(range(200_000)))
write("deep-nesting.eml", nest + base + close + b"\r\n")
# 1.5 million parts, the signed one last.
parts = b"--w\r\n\r\nx\r\n" * 1_500_000
write("wide.eml", b"Content-Type: multipart/mixed; boundary=w\r\n\r\n" + parts
      + b"--w\r\n" + base + b"\r\n--w--\r\n")
# From of 2 MB of encoded words, and a Subject of 20 MB of them.
i = base.index(b"From:")
j = base.index(b"\r\n", i)
words = b" ".join([b"=?utf-8?q?a?="] * 150_000)
write("from-encoded-words.eml", base[:i] + b"From: " + words + b" <rsa@smime.example>" + base[j:])
write("subject-encoded-words.eml",
      b"Subject: " + b" ".join([b"=?utf-8?b?YQ==?="] * 1_200_000) + b"\r\n" + base)
# A Content-Type of many parameters, and of many RFC 2231 sections.
params = b"".join(b'; p%d="v;%d"' % (k, k) for k in range(600_000))
write("parameters.eml", b"Content-Type: multipart/mixed; boundary=b" + params
      + b"\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n")
# 1.5 million header lines before a genuine message.
write("header-lines.eml", b"".join(b"X-H%d: v\r\n" % k for k in range(1_500_000)) + base)
