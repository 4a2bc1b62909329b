// SPDX-License-Identifier: GPL-2.0
/* Names for IKEv2 numbers, for log lines (spelled as strongSwan prints
 * them, so logs of both ends can be compared side by side).
 */
#include <stdio.h>

#include "ikev2.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct name {
	uint16_t num;
	const char *name;
};

static const char *lookup(const struct name *t, size_t n, uint16_t num)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].num == num)
			return t[i].name;
	return NULL;
}

const char *ikev2_exch_name(uint8_t exch)
{
	static const struct name t[] = {
		{ IKEV2_EXCH_IKE_SA_INIT, "IKE_SA_INIT" },
		{ IKEV2_EXCH_IKE_AUTH, "IKE_AUTH" },
		{ IKEV2_EXCH_CREATE_CHILD_SA, "CREATE_CHILD_SA" },
		{ IKEV2_EXCH_INFORMATIONAL, "INFORMATIONAL" },
	};
	const char *s = lookup(t, ARRAY_SIZE(t), exch);

	return s ? s : "UNKNOWN_EXCHANGE";
}

const char *ikev2_pld_name(uint8_t type)
{
	static const struct name t[] = {
		{ IKEV2_PLD_NONE, "NONE" }, { IKEV2_PLD_SA, "SA" },
		{ IKEV2_PLD_KE, "KE" }, { IKEV2_PLD_IDI, "IDi" },
		{ IKEV2_PLD_IDR, "IDr" }, { IKEV2_PLD_CERT, "CERT" },
		{ IKEV2_PLD_CERTREQ, "CERTREQ" }, { IKEV2_PLD_AUTH, "AUTH" },
		{ IKEV2_PLD_NONCE, "No" }, { IKEV2_PLD_NOTIFY, "N" },
		{ IKEV2_PLD_DELETE, "D" }, { IKEV2_PLD_VENDOR, "V" },
		{ IKEV2_PLD_TSI, "TSi" }, { IKEV2_PLD_TSR, "TSr" },
		{ IKEV2_PLD_SK, "SK" }, { IKEV2_PLD_CP, "CP" },
		{ IKEV2_PLD_EAP, "EAP" }, { IKEV2_PLD_SKF, "SKF" },
	};
	const char *s = lookup(t, ARRAY_SIZE(t), type);

	return s ? s : "UNKNOWN_PAYLOAD";
}

const char *ikev2_notify_name(uint16_t type)
{
	static const struct name t[] = {
		{ 1, "UNSUPPORTED_CRITICAL_PAYLOAD" },
		{ 4, "INVALID_IKE_SPI" }, { 5, "INVALID_MAJOR_VERSION" },
		{ 7, "INVALID_SYNTAX" }, { 9, "INVALID_MESSAGE_ID" },
		{ 11, "INVALID_SPI" }, { 14, "NO_PROPOSAL_CHOSEN" },
		{ 17, "INVALID_KE_PAYLOAD" }, { 24, "AUTHENTICATION_FAILED" },
		{ 34, "SINGLE_PAIR_REQUIRED" }, { 35, "NO_ADDITIONAL_SAS" },
		{ 36, "INTERNAL_ADDRESS_FAILURE" },
		{ 37, "FAILED_CP_REQUIRED" }, { 38, "TS_UNACCEPTABLE" },
		{ 39, "INVALID_SELECTORS" }, { 43, "TEMPORARY_FAILURE" },
		{ 44, "CHILD_SA_NOT_FOUND" },
		{ 16384, "INITIAL_CONTACT" }, { 16385, "SET_WINDOW_SIZE" },
		{ 16386, "ADDITIONAL_TS_POSSIBLE" },
		{ 16387, "IPCOMP_SUPPORTED" },
		{ 16388, "NAT_DETECTION_SOURCE_IP" },
		{ 16389, "NAT_DETECTION_DESTINATION_IP" },
		{ 16390, "COOKIE" }, { 16391, "USE_TRANSPORT_MODE" },
		{ 16393, "REKEY_SA" },
		{ 16394, "ESP_TFC_PADDING_NOT_SUPPORTED" },
		{ 16395, "NON_FIRST_FRAGMENTS_ALSO" },
		{ 16396, "MOBIKE_SUPPORTED" },
		{ 16430, "IKEV2_FRAGMENTATION_SUPPORTED" },
		{ 16431, "SIGNATURE_HASH_ALGORITHMS" },
	};
	const char *s = lookup(t, ARRAY_SIZE(t), type);

	return s ? s : "UNKNOWN_NOTIFY";
}

const char *ikev2_xform_type_name(uint8_t type)
{
	static const char *const t[] = {
		[IKEV2_XF_ENCR] = "ENCR", [IKEV2_XF_PRF] = "PRF",
		[IKEV2_XF_INTEG] = "INTEG", [IKEV2_XF_DH] = "DH",
		[IKEV2_XF_ESN] = "ESN",
	};

	return type && type <= IKEV2_XF_MAX ? t[type] : "UNKNOWN";
}

const char *ikev2_xform_name(uint8_t type, uint16_t id, uint16_t keylen,
			     char *buf, size_t size)
{
	static const struct name encr[] = {
		{ IKEV2_ENCR_3DES, "3DES_CBC" },
		{ IKEV2_ENCR_AES_CBC, "AES_CBC" },
		{ IKEV2_ENCR_AES_CTR, "AES_CTR" },
		{ IKEV2_ENCR_AES_GCM_8, "AES_GCM_8" },
		{ IKEV2_ENCR_AES_GCM_12, "AES_GCM_12" },
		{ IKEV2_ENCR_AES_GCM_16, "AES_GCM_16" },
		{ IKEV2_ENCR_CHACHA20_POLY1305, "CHACHA20_POLY1305" },
	};
	static const struct name prf[] = {
		{ IKEV2_PRF_HMAC_MD5, "PRF_HMAC_MD5" },
		{ IKEV2_PRF_HMAC_SHA1, "PRF_HMAC_SHA1" },
		{ IKEV2_PRF_HMAC_SHA2_256, "PRF_HMAC_SHA2_256" },
		{ IKEV2_PRF_HMAC_SHA2_384, "PRF_HMAC_SHA2_384" },
		{ IKEV2_PRF_HMAC_SHA2_512, "PRF_HMAC_SHA2_512" },
	};
	static const struct name integ[] = {
		{ IKEV2_INTEG_HMAC_SHA1_96, "HMAC_SHA1_96" },
		{ IKEV2_INTEG_HMAC_SHA2_256_128, "HMAC_SHA2_256_128" },
		{ IKEV2_INTEG_HMAC_SHA2_384_192, "HMAC_SHA2_384_192" },
		{ IKEV2_INTEG_HMAC_SHA2_512_256, "HMAC_SHA2_512_256" },
	};
	static const struct name dh[] = {
		{ IKEV2_DH_MODP_1024, "MODP_1024" },
		{ IKEV2_DH_MODP_2048, "MODP_2048" },
		{ IKEV2_DH_MODP_3072, "MODP_3072" },
		{ IKEV2_DH_MODP_4096, "MODP_4096" },
		{ IKEV2_DH_ECP_256, "ECP_256" },
		{ IKEV2_DH_ECP_384, "ECP_384" },
		{ IKEV2_DH_CURVE25519, "CURVE_25519" },
	};
	const char *s = NULL;

	switch (type) {
	case IKEV2_XF_ENCR:
		s = lookup(encr, ARRAY_SIZE(encr), id);
		if (s && keylen) {
			snprintf(buf, size, "%s_%u", s, keylen);
			return buf;
		}
		break;
	case IKEV2_XF_PRF:
		s = lookup(prf, ARRAY_SIZE(prf), id);
		break;
	case IKEV2_XF_INTEG:
		s = id ? lookup(integ, ARRAY_SIZE(integ), id) : "NONE";
		break;
	case IKEV2_XF_DH:
		s = id ? lookup(dh, ARRAY_SIZE(dh), id) : "NONE";
		break;
	case IKEV2_XF_ESN:
		s = id == IKEV2_ESN_YES ? "ESN" : id ? NULL : "NO_EXT_SEQ";
		break;
	}
	if (s)
		return s;
	snprintf(buf, size, "%s_%u", ikev2_xform_type_name(type), id);
	return buf;
}

const char *ikev2_id_type_name(uint8_t type)
{
	static const struct name t[] = {
		{ IKEV2_ID_IPV4_ADDR, "ID_IPV4_ADDR" },
		{ IKEV2_ID_FQDN, "ID_FQDN" },
		{ IKEV2_ID_RFC822_ADDR, "ID_RFC822_ADDR" },
		{ IKEV2_ID_IPV6_ADDR, "ID_IPV6_ADDR" },
		{ IKEV2_ID_DER_ASN1_DN, "ID_DER_ASN1_DN" },
		{ IKEV2_ID_KEY_ID, "ID_KEY_ID" },
	};
	const char *s = lookup(t, ARRAY_SIZE(t), type);

	return s ? s : "ID_UNKNOWN";
}
