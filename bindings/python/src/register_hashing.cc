#include <pybind11/stl.h>

#include <string>
#include <utility>
#include <vector>

#include "common.h"
#include "finfusion/hash.h"

namespace finfusion::python {

void register_hashing(py::module_& m) {
  py::class_<hashing::Hasher>(m, "Hasher",
                              "Stored key hashes under server peppers; repr() shows pepper ids only.")
      .def(py::init([](const PepperMapArg& peppers, const std::string& current, const std::string& algorithm) {
             if (!PyDict_Check(peppers.ptr())) throw py::type_error("peppers must be a dict of id -> bytes");
             std::vector<std::pair<std::string, SecretBytes>> list;
             for (auto item : py::reinterpret_borrow<py::dict>(peppers)) {
               list.emplace_back(std::string(Text(item.first, "pepper id").view()),
                                 secret_bytes(item.second, "pepper"));
             }
             return unwrap(hashing::Hasher::Create(std::move(list), current, algorithm));
           }),
           py::arg("peppers"), py::arg("current"), py::arg("algorithm") = std::string(hashing::kAlgorithmHmacSha256))
      .def_property_readonly("current_pepper_id", &hashing::Hasher::current_pepper_id)
      .def_property_readonly("algorithm", [](const hashing::Hasher& h) { return std::string(h.algorithm()); })
      // A Hasher is immutable once built, so hashing runs without the GIL: other Python
      // threads go on meanwhile. (The Text objects keep their str alive throughout.)
      .def("hash", [](const hashing::Hasher& h, const StrArg& key) {
             Text k(key, "key");
             Result<std::string> r = Status(Code::kInternal, "not run");
             {
               py::gil_scoped_release unlocked;
               r = h.hash(k.view());
             }
             return unwrap(std::move(r));
           }, py::arg("key"))
      .def("verify", [](const hashing::Hasher& h, const StrArg& key, const StrArg& stored) {
             Text k(key, "key");
             Text s(stored, "stored");
             Result<bool> r = Status(Code::kInternal, "not run");
             {
               py::gil_scoped_release unlocked;
               r = h.verify(k.view(), s.view());
             }
             return unwrap(std::move(r));
           }, py::arg("key"), py::arg("stored"))
      .def("needs_rehash", [](const hashing::Hasher& h, const StrArg& stored) {
             return unwrap(h.needs_rehash(Text(stored, "stored").view()));
           }, py::arg("stored"))
      .def("__repr__", [](const hashing::Hasher& h) {
        return "Hasher(current='" + h.current_pepper_id() + "')";
      })
      .def("__reduce__", [](py::handle) -> py::object {
        throw py::type_error("objects that hold secrets cannot be pickled");
      });

  m.def("hash_parse_stored", [](const StrArg& stored) {
          auto parts = unwrap(hashing::parse_stored(Text(stored, "stored").view()));
          return py::make_tuple(parts.algorithm, parts.pepper_id);
        }, py::arg("stored"), "(algorithm, pepper id) of a stored hash.");
  m.def("random_secret", [](std::size_t size) {
          SecretBytes s = unwrap(random_secret(size));
          return py::bytes(std::string(s.view()));
        }, py::arg("size"), "size bytes from libsodium's CSPRNG.");
  m.attr("PEPPER_BYTES") = hashing::kPepperBytes;
}

}  // namespace finfusion::python
