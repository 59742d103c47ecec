// Owning handles for the OpenSSL objects the token checks and the token signer use,
// so every early return frees what it made.
#pragma once

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>

namespace casecheck::cds::openssl {

// A deleter that calls OpenSSL's own free function for T.
template <class T, void (*Free)(T*)>
struct FreeWith {
    void operator()(T* p) const { Free(p); }
};

using Pkey = std::unique_ptr<EVP_PKEY, FreeWith<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, FreeWith<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, FreeWith<EVP_MD_CTX, EVP_MD_CTX_free>>;
using Bignum = std::unique_ptr<BIGNUM, FreeWith<BIGNUM, BN_free>>;
using Bio = std::unique_ptr<BIO, FreeWith<BIO, BIO_free_all>>;
using ParamBuild = std::unique_ptr<OSSL_PARAM_BLD, FreeWith<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, FreeWith<OSSL_PARAM, OSSL_PARAM_free>>;
using EcdsaSig = std::unique_ptr<ECDSA_SIG, FreeWith<ECDSA_SIG, ECDSA_SIG_free>>;

// OpenSSL queues an error per failed call, per thread; a refused token or a failed signing must not leave them behind.
struct ClearErrorsOnExit {
    ~ClearErrorsOnExit() { ERR_clear_error(); }
};

}  // namespace casecheck::cds::openssl
