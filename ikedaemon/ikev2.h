/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv2 wire constants (RFC 7296 section 3, IANA "IKEv2 Parameters").
 * Numbers only; no behaviour lives here.
 */
#ifndef IKEDAEMON_IKEV2_H
#define IKEDAEMON_IKEV2_H

#include <stddef.h>
#include <stdint.h>

#define IKEV2_VERSION		0x20	/* major 2, minor 0 */
#define IKEV2_HDR_LEN		28
#define IKEV2_PLD_HDR_LEN	4
#define IKEV2_MSG_MAX		65535
#define IKEV2_NONCE_LEN		32	/* what we send: >= half the PRF key */
#define IKEV2_NONCE_MIN		16	/* RFC 7296 3.9 */
#define IKEV2_NONCE_MAX		256
#define IKEV2_NON_ESP_MARKER_LEN 4	/* RFC 3948 2.2 */
#define IKEV2_PORT		500
#define IKEV2_NATT_PORT		4500

/* Exchange types (3.1) */
#define IKEV2_EXCH_IKE_SA_INIT		34
#define IKEV2_EXCH_IKE_AUTH		35
#define IKEV2_EXCH_CREATE_CHILD_SA	36
#define IKEV2_EXCH_INFORMATIONAL	37

/* Header flags (3.1) */
#define IKEV2_FLAG_INITIATOR	0x08
#define IKEV2_FLAG_VERSION	0x10
#define IKEV2_FLAG_RESPONSE	0x20

/* Payload types (3.2) */
#define IKEV2_PLD_NONE		0
#define IKEV2_PLD_SA		33
#define IKEV2_PLD_KE		34
#define IKEV2_PLD_IDI		35
#define IKEV2_PLD_IDR		36
#define IKEV2_PLD_CERT		37
#define IKEV2_PLD_CERTREQ	38
#define IKEV2_PLD_AUTH		39
#define IKEV2_PLD_NONCE		40
#define IKEV2_PLD_NOTIFY	41
#define IKEV2_PLD_DELETE	42
#define IKEV2_PLD_VENDOR	43
#define IKEV2_PLD_TSI		44
#define IKEV2_PLD_TSR		45
#define IKEV2_PLD_SK		46
#define IKEV2_PLD_CP		47
#define IKEV2_PLD_EAP		48
#define IKEV2_PLD_SKF		53

#define IKEV2_CRITICAL		0x80

/* Proposal / transform substructures (3.3) */
#define IKEV2_PROP_LAST		0
#define IKEV2_PROP_MORE		2
#define IKEV2_XFORM_LAST	0
#define IKEV2_XFORM_MORE	3
#define IKEV2_PROTO_IKE		1
#define IKEV2_PROTO_AH		2
#define IKEV2_PROTO_ESP		3
#define IKEV2_ATTR_KEYLEN	14
#define IKEV2_ATTR_TV		0x8000

/* Transform types and IDs (3.3.2) */
#define IKEV2_XF_ENCR		1
#define IKEV2_XF_PRF		2
#define IKEV2_XF_INTEG		3
#define IKEV2_XF_DH		4
#define IKEV2_XF_ESN		5
#define IKEV2_XF_MAX		5

#define IKEV2_ENCR_3DES		3
#define IKEV2_ENCR_AES_CBC	12
#define IKEV2_ENCR_AES_CTR	13
#define IKEV2_ENCR_AES_GCM_8	18
#define IKEV2_ENCR_AES_GCM_12	19
#define IKEV2_ENCR_AES_GCM_16	20
#define IKEV2_ENCR_CHACHA20_POLY1305 28

#define IKEV2_PRF_HMAC_MD5	1
#define IKEV2_PRF_HMAC_SHA1	2
#define IKEV2_PRF_HMAC_SHA2_256	5
#define IKEV2_PRF_HMAC_SHA2_384	6
#define IKEV2_PRF_HMAC_SHA2_512	7

#define IKEV2_INTEG_NONE		0
#define IKEV2_INTEG_HMAC_SHA1_96	2
#define IKEV2_INTEG_HMAC_SHA2_256_128	12
#define IKEV2_INTEG_HMAC_SHA2_384_192	13
#define IKEV2_INTEG_HMAC_SHA2_512_256	14

#define IKEV2_DH_NONE		0
#define IKEV2_DH_MODP_1024	2
#define IKEV2_DH_MODP_2048	14
#define IKEV2_DH_MODP_3072	15
#define IKEV2_DH_MODP_4096	16
#define IKEV2_DH_ECP_256	19
#define IKEV2_DH_ECP_384	20
#define IKEV2_DH_CURVE25519	31

#define IKEV2_ESN_NO		0
#define IKEV2_ESN_YES		1

/* ID types (3.5) */
#define IKEV2_ID_IPV4_ADDR	1
#define IKEV2_ID_FQDN		2
#define IKEV2_ID_RFC822_ADDR	3
#define IKEV2_ID_IPV6_ADDR	5
#define IKEV2_ID_DER_ASN1_DN	9
#define IKEV2_ID_KEY_ID		11

/* Authentication methods (3.8) */
#define IKEV2_AUTH_RSA_SIG	1
#define IKEV2_AUTH_SHARED_KEY_MIC 2
#define IKEV2_AUTH_DSS_SIG	3
#define IKEV2_AUTH_SIG		14	/* RFC 7427 */

/* Notify message types (3.10.1): errors below 16384, status above */
#define IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD	1
#define IKEV2_N_INVALID_IKE_SPI			4
#define IKEV2_N_INVALID_MAJOR_VERSION		5
#define IKEV2_N_INVALID_SYNTAX			7
#define IKEV2_N_INVALID_MESSAGE_ID		9
#define IKEV2_N_INVALID_SPI			11
#define IKEV2_N_NO_PROPOSAL_CHOSEN		14
#define IKEV2_N_INVALID_KE_PAYLOAD		17
#define IKEV2_N_AUTHENTICATION_FAILED		24
#define IKEV2_N_SINGLE_PAIR_REQUIRED		34
#define IKEV2_N_NO_ADDITIONAL_SAS		35
#define IKEV2_N_INTERNAL_ADDRESS_FAILURE	36
#define IKEV2_N_FAILED_CP_REQUIRED		37
#define IKEV2_N_TS_UNACCEPTABLE			38
#define IKEV2_N_INVALID_SELECTORS		39
#define IKEV2_N_TEMPORARY_FAILURE		43
#define IKEV2_N_CHILD_SA_NOT_FOUND		44
#define IKEV2_N_ERROR_MAX			16383

#define IKEV2_N_INITIAL_CONTACT			16384
#define IKEV2_N_SET_WINDOW_SIZE			16385
#define IKEV2_N_ADDITIONAL_TS_POSSIBLE		16386
#define IKEV2_N_IPCOMP_SUPPORTED		16387
#define IKEV2_N_NAT_DETECTION_SOURCE_IP		16388
#define IKEV2_N_NAT_DETECTION_DESTINATION_IP	16389
#define IKEV2_N_COOKIE				16390
#define IKEV2_N_USE_TRANSPORT_MODE		16391
#define IKEV2_N_REKEY_SA			16393
#define IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED	16394
#define IKEV2_N_NON_FIRST_FRAGMENTS_ALSO	16395
#define IKEV2_N_MOBIKE_SUPPORTED		16396
#define IKEV2_N_FRAGMENTATION_SUPPORTED		16430
#define IKEV2_N_SIGNATURE_HASH_ALGORITHMS	16431

/* Traffic selector types (3.13.1) */
#define IKEV2_TS_IPV4_ADDR_RANGE	7
#define IKEV2_TS_IPV6_ADDR_RANGE	8

/* The 28-byte IKE header (3.1), network byte order on the wire. */
struct ikev2_hdr {
	uint64_t spi_i;		/* kept in wire order: compared, never added */
	uint64_t spi_r;
	uint8_t next;
	uint8_t version;
	uint8_t exchange;
	uint8_t flags;
	uint32_t msgid;		/* host order after ikev2_hdr_decode() */
	uint32_t length;	/* host order after ikev2_hdr_decode() */
};

const char *ikev2_exch_name(uint8_t exch);
const char *ikev2_pld_name(uint8_t type);
const char *ikev2_notify_name(uint16_t type);
const char *ikev2_xform_type_name(uint8_t type);
/* "AES_GCM_16_256", "PRF_HMAC_SHA2_256", "CURVE_25519", ...; buf may be
 * used for unknown numbers.
 */
const char *ikev2_xform_name(uint8_t type, uint16_t id, uint16_t keylen,
			     char *buf, size_t size);
const char *ikev2_id_type_name(uint8_t type);

#endif
