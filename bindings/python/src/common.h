// Shared conversions for the pybind11 layer: text in without echoing it, failures out as
// the finfusion exception classes. Nothing here decides anything; the core does.
#pragma once

#include <pybind11/pybind11.h>

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "finfusion/secret.h"
#include "finfusion/status.h"

namespace finfusion::python {

namespace py = pybind11;

inline bool accept_any_object(PyObject*) { return true; }

// Parameter types that accept any object, so that pybind11 never rejects the call itself
// (its mismatch message would print the argument, and a key or pepper is a secret); the
// conversions below check the type and name only the type. They show in signatures (and
// the generated .pyi) as the type they expect.
class StrArg : public py::object {
 public:
  PYBIND11_OBJECT_DEFAULT(StrArg, py::object, accept_any_object)
};
class BytesArg : public py::object {
 public:
  PYBIND11_OBJECT_DEFAULT(BytesArg, py::object, accept_any_object)
};
class PepperMapArg : public py::object {
 public:
  PYBIND11_OBJECT_DEFAULT(PepperMapArg, py::object, accept_any_object)
};

// A str argument as UTF-8 bytes, borrowed from the str object when it can be (no copy).
// A str that cannot be UTF-8 (lone surrogates) is passed on as its surrogatepass bytes, so
// the core refuses it like any other bad input. Anything but str is a TypeError that names
// the argument and its type, never its value (pybind11's own mismatch message would echo
// the value, and a key is a secret).
class Text {
 public:
  Text(py::handle value, const char* what);
  std::string_view view() const noexcept { return view_; }

 private:
  py::object holder_;
  std::string_view view_;
};

// A bytes-like argument (bytes, bytearray, memoryview; not str) borrowed for the call, for
// data that is not secret (request bodies, webhook payloads). TypeError (type only) otherwise.
class ByteView {
 public:
  ByteView(py::handle value, const char* what);
  ~ByteView();
  ByteView(const ByteView&) = delete;
  ByteView& operator=(const ByteView&) = delete;
  std::string_view view() const noexcept { return view_; }

 private:
  Py_buffer buffer_{};
  std::string_view view_;
};

// A bytes-like argument copied into wiping storage. TypeError (type only) otherwise.
SecretBytes secret_bytes(py::handle value, const char* what);

// Raises the Python class registered for the status's code (finfusion.errors fills the
// table at import), with the core's message, which never contains a secret.
[[noreturn]] void raise(const Status& status);

template <typename T>
T unwrap(Result<T>&& result) {
  if (!result.ok()) raise(result.status());
  return std::move(result).value();
}

// The table finfusion.errors fills: code name -> exception class.
py::dict& error_classes();

// The name of a value's type, for TypeErrors that name the type and never the value.
std::string type_name(py::handle value);

// A plain CPython entry point (METH_FASTCALL) that runs `Body` with C++ exceptions turned
// into Python ones: for the calls made on every request, without pybind11's dispatcher
// (its argument vectors and casters cost about a microsecond on a call of a dozen
// arguments). Add one to a module with add_fastcall; its docstring's first line is the
// signature the stubs show.
template <typename F>
PyObject* guarded(F&& body) noexcept {
  try {
    return body();
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (py::builtin_exception& e) {
    e.set_error();
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
  return nullptr;
}
template <PyObject* (*Body)(PyObject* const* args, Py_ssize_t nargs)>
PyObject* fastcall(PyObject*, PyObject* const* args, Py_ssize_t nargs) noexcept {
  return guarded([&] { return Body(args, nargs); });
}
// The same with keyword arguments (METH_FASTCALL | METH_KEYWORDS), bound with Parameters:
// a public function or method itself, where a Python def around a fastcall would cost more
// than its work (its frame and keyword-only defaults: about 0.4 us a call of a dozen
// arguments). `self` is the module for a function, the instance for a method descriptor.
template <PyObject* (*Body)(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames)>
PyObject* fastcall_keywords(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) noexcept {
  return guarded([&] { return Body(self, args, nargs, kwnames); });
}
template <PyObject* (*Body)(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames)>
constexpr PyCFunction keywords_entry() {  // for a PyMethodDef with METH_FASTCALL | METH_KEYWORDS
  return reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&fastcall_keywords<Body>));
}
void add_fastcall(py::module_& m, PyMethodDef& def);  // `def` outlives the module: a static

// The str object of a text that usually repeats from call to call, made again only when the
// text changes (and then kept): results on the hot paths reuse their field and name objects.
struct KeptStr {
  std::string text;
  py::object object;
  const py::object& of(std::string_view value) {
    if (!object || value != text) {
      object = py::str(value.data(), value.size());
      text.assign(value);
    }
    return object;
  }
};

// A function's parameters, bound as Python binds a def's: the first `positional` may come by
// position or keyword, the rest (keyword-only) by keyword.
class Parameters {
 public:
  Parameters(const char* function, std::initializer_list<const char*> names, std::size_t positional);
  std::size_t size() const noexcept { return names_.size(); }
  // Each parameter's argument into out[0..size()), null where none was given. TypeError, as
  // Python's, for too many positional arguments or an unknown or repeated keyword.
  void bind(PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames, PyObject** out) const;
  // out[i], or TypeError when it was not given.
  PyObject* required(PyObject* const* out, std::size_t i) const;

 private:
  std::string function_;
  std::vector<PyObject*> names_;  // interned, and kept for the process's life
  std::size_t positional_;
};

// A bound argument, or its default when it was not given.
inline PyObject* or_default(PyObject* given, PyObject* fallback) { return given != nullptr ? given : fallback; }

// fastcall arguments, converted as pybind11 would, with TypeErrors that name the argument:
// an int (OverflowError outside int64), a flag (True, False, None, or a value's truth) and
// a class the module binds (a reference to the instance's C++ object).
std::int64_t int_arg(py::handle value, const char* what);
bool flag_arg(py::handle value);
// A list or tuple as it is, anything else as list() makes it (a new list, or list()'s error).
py::object sequence_arg(PyObject* value);
//
// An instance of the bound class itself (not a subclass) whose value is constructed is read
// straight from pybind11's instance record (simple layout: the value pointer first), without
// the two type lookups by std::type_info that isinstance and cast each make (about 30 ns
// apiece, four on a signed request's sign + verify). Anything else takes pybind11's path.
template <typename T>
T& instance_arg(py::handle value, const char* what, const char* type) {
  static PyTypeObject* const bound = reinterpret_cast<PyTypeObject*>(py::type::of<T>().ptr());
  if (Py_TYPE(value.ptr()) == bound) {
    auto* inst = reinterpret_cast<py::detail::instance*>(value.ptr());
    if (inst->simple_layout && inst->simple_holder_constructed && inst->simple_value_holder[0] != nullptr) {
      return *static_cast<T*>(inst->simple_value_holder[0]);
    }
  }
  if (!py::isinstance<T>(value)) throw py::type_error(std::string(what) + " must be a " + type + ", not " + type_name(value));
  return value.cast<T&>();
}

void register_status(py::module_& m);
void register_keys(py::module_& m);
void register_scopes(py::module_& m);
void register_hashing(py::module_& m);
void register_time(py::module_& m);
void register_lifecycle(py::module_& m);
void register_ratelimit(py::module_& m);
void register_registry(py::module_& m);
void register_client(py::module_& m);
void register_signing(py::module_& m);
void register_webhooks(py::module_& m);

}  // namespace finfusion::python

namespace pybind11::detail {
template <>
struct handle_type_name<finfusion::python::StrArg> {
  static constexpr auto name = const_name("str");
};
template <>
struct handle_type_name<finfusion::python::BytesArg> {
  static constexpr auto name = const_name("bytes");
};
template <>
struct handle_type_name<finfusion::python::PepperMapArg> {
  static constexpr auto name = const_name("dict[str, bytes]");
};
}  // namespace pybind11::detail
