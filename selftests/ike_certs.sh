#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make a test PKI with the openssl CLI: ike_certs.sh OUTDIR
#
#   ca.pem              "C=CH, O=ikesec test, CN=ikesec Test CA" (ECDSA P-256)
#   rogueca.pem         "C=CH, O=ikesec test, CN=Rogue CA" (not trusted)
#   NAME-rsa.{pem,key}  NAME in moon, sun: RSA-2048, signed by ca
#   NAME-ec.{pem,key}   ECDSA P-256, signed by ca
#   moon-rogue.{pem,key}    moon's names, signed by rogueca
#   moon-expired.{pem,key}  moon's names, valid 2020-01-01..2021-01-01
#
# Every end-entity certificate has subject
# "C=CH, O=ikesec test, CN=NAME.example" and subjectAltNames
# DNS:NAME.example, email:NAME@example.
set -e
out=$1
[ -n "$out" ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
mkdir -p "$out"
cd "$out"
O="/C=CH/O=ikesec test"

ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	-out "$1" 2>/dev/null; }
rsa_key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	-out "$1" 2>/dev/null; }

# ca NAME CN
ca() {
	ec_key "$1.key"
	openssl req -x509 -new -key "$1.key" -subj "$O/CN=$2" -days 3650 \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-out "$1.pem" 2>/dev/null
}

ext() {
	printf '%s\n' "basicConstraints=CA:FALSE" \
		"keyUsage=digitalSignature" \
		"subjectAltName=DNS:$1.example,email:$1@example"
}

# ee FILE NAME KEYTYPE CA
ee() {
	"$3_key" "$1.key"
	openssl req -new -key "$1.key" -subj "$O/CN=$2.example" \
		-out "$1.csr" 2>/dev/null
	openssl x509 -req -in "$1.csr" -CA "$4.pem" -CAkey "$4.key" \
		-CAcreateserial -days 365 -extfile <(ext "$2") \
		-out "$1.pem" 2>/dev/null
	rm -f "$1.csr"
}

ca ca "ikesec Test CA"
ca rogueca "Rogue CA"
for n in moon sun; do
	ee "$n-rsa" "$n" rsa ca
	ee "$n-ec" "$n" ec ca
done
ee moon-rogue moon ec rogueca

# An expired certificate: `openssl ca' is the CLI that takes dates.
mkdir -p ca.db
: > ca.db/index.txt
ext moon > ca.db/ext
cat > ca.db/ca.cnf <<CNF
[ca]
default_ca = test
[test]
dir = ca.db
database = ca.db/index.txt
new_certs_dir = ca.db
serial = ca.db/serial
default_md = sha256
policy = any
copy_extensions = none
[any]
commonName = supplied
CNF
echo 01 > ca.db/serial
ec_key moon-expired.key
openssl req -new -key moon-expired.key -subj "$O/CN=moon.example" \
	-out moon-expired.csr 2>/dev/null
openssl ca -batch -config ca.db/ca.cnf -cert ca.pem -keyfile ca.key \
	-startdate 20200101000000Z -enddate 20210101000000Z -preserveDN \
	-extfile ca.db/ext -in moon-expired.csr -out moon-expired.pem \
	-notext 2>/dev/null
rm -rf ca.db moon-expired.csr ./*.srl
