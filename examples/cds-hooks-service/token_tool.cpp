// casecheck-cds-token: makes a client key pair and signs client tokens, so a vendor
// (or a test) can call the CDS Hooks service the way an EHR would.
//
//   casecheck-cds-token keygen --alg ES384 --kid K --private OUT.pem --jwks OUT.jwks.json [--bits 2048]
//   casecheck-cds-token sign --private KEY.pem --kid K --alg ES384 --iss I --aud URL
//                            [--sub S] [--tenant T] [--lifetime 300] [--iat UNIX] [--jti ID]
//
// Exit status: 0 done, 1 failed, 2 usage error.
#include "token_signer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

using casecheck::cds::SigningKey;

constexpr const char* usage_text =
    "usage: casecheck-cds-token keygen --alg ES384|RS384|ES256|RS256 --kid KID --private OUT.pem\n"
    "                                  --jwks OUT.jwks.json [--bits 2048]\n"
    "       casecheck-cds-token sign --private KEY.pem --kid KID --alg ES384|RS384|ES256|RS256\n"
    "                                --iss ISSUER --aud URL [--sub S] [--tenant T]\n"
    "                                [--lifetime 300] [--iat UNIX] [--jti ID]\n"
    "keygen writes a private key (mode 0600, never overwritten) and the public JWK Set to give the service.\n"
    "sign prints a compact JWT for 'Authorization: Bearer ...'; iat defaults to now, jti to a random UUID.\n";

struct UsageError {
    std::string message;
};

// --name value pairs; each name at most once, and only the ones the command knows.
std::map<std::string, std::string> parse_options(int argc, char** argv, const std::set<std::string>& known) {
    std::map<std::string, std::string> options;
    for (int i = 2; i < argc; i += 2) {
        const std::string name = argv[i];
        if (name.rfind("--", 0) != 0 || known.count(name.substr(2)) == 0) throw UsageError{"unknown option " + name};
        if (i + 1 >= argc) throw UsageError{name + " needs a value"};
        if (!options.emplace(name.substr(2), argv[i + 1]).second) throw UsageError{name + " given twice"};
    }
    return options;
}

const std::string& required(const std::map<std::string, std::string>& options, const std::string& name) {
    const auto it = options.find(name);
    if (it == options.end() || it->second.empty()) throw UsageError{"--" + name + " is required"};
    return it->second;
}

std::string optional(const std::map<std::string, std::string>& options, const std::string& name) {
    const auto it = options.find(name);
    return it == options.end() ? std::string() : it->second;
}

long long integer_option(const std::map<std::string, std::string>& options, const std::string& name,
                         long long fallback, long long low, long long high) {
    const auto it = options.find(name);
    if (it == options.end()) return fallback;
    errno = 0;
    char* end = nullptr;
    const long long value = std::strtoll(it->second.c_str(), &end, 10);
    if (errno != 0 || end == it->second.c_str() || *end != '\0' || value < low || value > high) {
        throw UsageError{"--" + name + " must be a whole number from " + std::to_string(low) + " to " +
                         std::to_string(high)};
    }
    return value;
}

// The private key file is created, never replaced, and readable by its owner only from the start.
bool write_private(const std::string& path, const std::string& pem) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        std::cerr << "casecheck-cds-token: cannot create " << path << ": " << std::strerror(errno)
                  << (errno == EEXIST ? " (remove it first to replace the key)" : "") << '\n';
        return false;
    }
    std::size_t written = 0;
    while (written < pem.size()) {
        const ssize_t n = ::write(fd, pem.data() + written, pem.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            std::cerr << "casecheck-cds-token: cannot write " << path << ": " << std::strerror(errno) << '\n';
            ::close(fd);
            return false;
        }
        written += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) {
        std::cerr << "casecheck-cds-token: cannot write " << path << ": " << std::strerror(errno) << '\n';
        return false;
    }
    return true;
}

int keygen(int argc, char** argv) {
    const auto options = parse_options(argc, argv, {"alg", "kid", "private", "jwks", "bits"});
    const std::string& alg = required(options, "alg");
    const std::string& kid = required(options, "kid");
    const std::string& private_path = required(options, "private");
    const std::string& jwks_path = required(options, "jwks");
    const int bits = static_cast<int>(integer_option(options, "bits", 2048, 2048, 8192));
    std::string error;
    const auto key = SigningKey::generate(alg, kid, error, bits);
    if (!key) throw UsageError{error};
    // The private key first: if it exists already, the JWKS that matches it must not be replaced either.
    if (!write_private(private_path, key->private_pem())) return 1;
    std::ofstream jwks(jwks_path, std::ios::binary | std::ios::trunc);
    jwks << casecheck::cds::jwks_of({key.get()}).dump(2) << '\n';
    jwks.close();
    if (!jwks) {
        std::cerr << "casecheck-cds-token: cannot write " << jwks_path << '\n';
        std::remove(private_path.c_str());  // a key nobody can be told about is no use
        return 1;
    }
    std::cerr << "casecheck-cds-token: wrote " << private_path << " (keep it secret) and " << jwks_path
              << " (give it to the service)\n";
    return 0;
}

int sign(int argc, char** argv) {
    const auto options =
        parse_options(argc, argv, {"private", "kid", "alg", "iss", "aud", "sub", "tenant", "lifetime", "iat", "jti"});
    const std::string& private_path = required(options, "private");
    casecheck::cds::ClientClaims claims;
    claims.iss = required(options, "iss");
    claims.aud = required(options, "aud");
    claims.sub = optional(options, "sub");
    claims.tenant = optional(options, "tenant");
    claims.jti = optional(options, "jti");
    claims.lifetime = integer_option(options, "lifetime", 300, 1, 86400);
    // A client-side tool: reading the clock is its job (the service is handed `now` instead).
    const long long now = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch()).count();
    claims.iat = integer_option(options, "iat", now, 0, (1LL << 53) - 86400);

    std::ifstream in(private_path, std::ios::binary);
    if (!in) {
        std::cerr << "casecheck-cds-token: cannot read " << private_path << '\n';
        return 1;
    }
    const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string error;
    const auto key = SigningKey::from_pem(pem, required(options, "alg"), required(options, "kid"), error);
    if (!key) {
        std::cerr << "casecheck-cds-token: " << private_path << ": " << error << '\n';
        return 1;
    }
    std::cout << casecheck::cds::sign_client_token(*key, claims) << '\n';
    return std::cout.flush() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string command = argc > 1 ? argv[1] : "";
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << usage_text;
        return 0;
    }
    try {
        if (command == "keygen") return keygen(argc, argv);
        if (command == "sign") return sign(argc, argv);
        throw UsageError{command.empty() ? "no command" : "unknown command " + command};
    } catch (const UsageError& e) {
        std::cerr << "casecheck-cds-token: " << e.message << '\n' << usage_text;
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "casecheck-cds-token: " << e.what() << '\n';
        return 1;
    }
}
