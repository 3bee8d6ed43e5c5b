#!/usr/bin/env bash
# Regenerates the test-only TLS material used by tests/tls: a CA and a server certificate it
# signs, valid for 100 years, for IP 127.0.0.1 only (not "localhost", so a host-name mismatch
# can be tested). Private keys here protect nothing; never use them outside the tests.
set -euo pipefail
cd "$(dirname "$0")"
days=36500
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days "$days" \
  -subj "/CN=llmbench test CA" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1"
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem \
  -days "$days" -extfile <(printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n')
rm -f server.csr ca.srl ca.key
