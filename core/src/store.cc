#include "finfusion/store.h"

#include <string>

namespace finfusion::registry {

#ifndef FINFUSION_HAVE_SQLITE
Result<std::unique_ptr<Store>> open_sqlite_store(std::string_view, const StoreOptions&) {
  return Status(Code::kStorageUnavailable, "sqlite: not in this build (use memory:)");
}
#endif

#ifndef FINFUSION_HAVE_POSTGRES
Result<std::unique_ptr<Store>> open_postgres_store(std::string_view, const StoreOptions&) {
  return Status(Code::kStorageUnavailable, "postgresql: not in this build (use memory:)");
}
#endif

Result<std::unique_ptr<Store>> open_store(std::string_view url, const StoreOptions& options) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url == "memory:") return make_memory_store(options.max_events);
  if (url.substr(0, kSqlite.size()) == kSqlite) return open_sqlite_store(url.substr(kSqlite.size()), options);
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (url.substr(0, scheme.size()) == scheme) return open_postgres_store(url, options);
  }
  return Status(Code::kInvalidRequest, "a store is memory:, sqlite:PATH or postgresql://...");
}

}  // namespace finfusion::registry
