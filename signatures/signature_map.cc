#include "signatures/signature_map.h"

#include "absl/strings/str_join.h"

namespace model_server {

void SignatureMap::Add(std::unique_ptr<Signature> signature) {
  std::string key = signature->key();
  signatures_[key] = std::move(signature);
}

const Signature* SignatureMap::Find(absl::string_view key) const {
  auto it = signatures_.find(ResolveSignatureKey(key));
  return it == signatures_.end() ? nullptr : it->second.get();
}

std::vector<std::string> SignatureMap::Keys() const {
  std::vector<std::string> keys;
  for (const auto& [key, signature] : signatures_) keys.push_back(key);
  return keys;
}

std::string SignatureMap::KeyList() const {
  return absl::StrJoin(Keys(), ", ");
}

}  // namespace model_server
