#!/bin/sh
# Regenerates the signature test certificates in this folder (see README.md).
# Keys are random: every run changes every file. Needs OpenSSL 3 and sh; writes DER only.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# selfsigned NAME KEYFILE [openssl req options...]: a self-signed certificate NAME.der.
selfsigned() {
    name=$1 key=$2
    shift 2
    openssl req -x509 -new -key "$key" -subj "/O=smimetrust test/CN=$name" \
        -days 36500 -set_serial 1 -outform DER -out "$name.der" "$@"
}

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/rsa2048.pem"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$tmp/rsa1024.pem"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:512 -out "$tmp/rsa512.pem"
openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 \
    -pkeyopt rsa_pss_keygen_md:sha384 -pkeyopt rsa_pss_keygen_mgf1_md:sha384 \
    -pkeyopt rsa_pss_keygen_saltlen:48 -out "$tmp/rsapss.pem"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$tmp/p384.pem"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out "$tmp/p521.pem"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/p256.pem"
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 \
    -pkeyopt dsa_paramgen_q_bits:256 -out "$tmp/dsaparam.pem"
openssl genpkey -paramfile "$tmp/dsaparam.pem" -out "$tmp/dsa2048.pem"

# RSASSA-PSS with an rsaEncryption key: SHA-256, MGF1-SHA-256, salt 32.
selfsigned rsa-pss-sha256 "$tmp/rsa2048.pem" -sha256 -sigopt rsa_padding_mode:pss \
    -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha256
# RSASSA-PSS with an id-RSASSA-PSS key restricted to SHA-384, salt >= 48.
selfsigned rsa-pss-sha384-psskey "$tmp/rsapss.pem" -sha384 -sigopt rsa_pss_saltlen:48
# RSASSA-PSS with MGF1-SHA-1 under SHA-256 (not supported: the MGF1 hash must match).
selfsigned rsa-pss-sha256-mgf1-sha1 "$tmp/rsa2048.pem" -sha256 \
    -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha1
# PKCS #1 v1.5.
selfsigned rsa2048-sha1 "$tmp/rsa2048.pem" -sha1
selfsigned rsa2048-sha224 "$tmp/rsa2048.pem" -sha224
selfsigned rsa2048-sha512 "$tmp/rsa2048.pem" -sha512
selfsigned rsa1024-sha256 "$tmp/rsa1024.pem" -sha256
selfsigned rsa512-sha256 "$tmp/rsa512.pem" -sha256
selfsigned rsa2048-md5 "$tmp/rsa2048.pem" -md5
# ECDSA.
selfsigned p384-sha384 "$tmp/p384.pem" -sha384
selfsigned p521-sha512 "$tmp/p521.pem" -sha512
selfsigned p384-sha256 "$tmp/p384.pem" -sha256
selfsigned p256-sha1 "$tmp/p256.pem" -sha1
# DSA-2048/256 with SHA-256.
selfsigned dsa2048-sha256 "$tmp/dsa2048.pem" -sha256

# PKCS #1 v1.5 SHA-256 whose DigestInfo omits the NULL hash parameters: sign the TBS of
# rsa2048-sha256-nonull.der again by hand and put that signature in place of the last 256
# octets (the signature BIT STRING ends the certificate, and the length does not change).
selfsigned rsa2048-sha256-nonull "$tmp/rsa2048.pem" -sha256
# The TBSCertificate is the first element inside the certificate SEQUENCE (offset 4, after a
# 4-octet header): strparse cuts it out.
openssl asn1parse -inform DER -in rsa2048-sha256-nonull.der -strparse 4 -noout -out "$tmp/tbs.der"
hash=$(openssl dgst -sha256 -r "$tmp/tbs.der" | cut -d' ' -f1)
cat > "$tmp/digestinfo.cnf" <<CNF
asn1 = SEQUENCE:digestinfo
[digestinfo]
algorithm = SEQUENCE:algorithm
digest = FORMAT:HEX,OCTETSTRING:$hash
[algorithm]
oid = OID:sha256
CNF
openssl asn1parse -genconf "$tmp/digestinfo.cnf" -noout -out "$tmp/digestinfo.der"
openssl pkeyutl -sign -inkey "$tmp/rsa2048.pem" -pkeyopt rsa_padding_mode:pkcs1 \
    -in "$tmp/digestinfo.der" -out "$tmp/sig.bin"
size=$(wc -c < rsa2048-sha256-nonull.der)
head -c $((size - 256)) rsa2048-sha256-nonull.der > "$tmp/cert.der"
cat "$tmp/sig.bin" >> "$tmp/cert.der"
mv "$tmp/cert.der" rsa2048-sha256-nonull.der
