#include "common.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>

namespace finfusion::python {

Text::Text(py::handle value, const char* what) {
  if (!PyUnicode_Check(value.ptr())) {
    throw py::type_error(std::string(what) + " must be str, not " + type_name(value));
  }
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(value.ptr(), &size);
  if (data) {
    holder_ = py::reinterpret_borrow<py::object>(value);
  } else {
    PyErr_Clear();
    PyObject* bytes = PyUnicode_AsEncodedString(value.ptr(), "utf-8", "surrogatepass");
    if (!bytes) throw py::error_already_set();
    holder_ = py::reinterpret_steal<py::object>(bytes);
    data = PyBytes_AS_STRING(bytes);
    size = PyBytes_GET_SIZE(bytes);
  }
  view_ = std::string_view(data, static_cast<std::size_t>(size));
}

ByteView::ByteView(py::handle value, const char* what) {
  if (!PyObject_CheckBuffer(value.ptr()) || PyUnicode_Check(value.ptr())) {
    throw py::type_error(std::string(what) + " must be bytes, not " + type_name(value));
  }
  if (PyObject_GetBuffer(value.ptr(), &buffer_, PyBUF_SIMPLE) != 0) throw py::error_already_set();
  view_ = std::string_view(static_cast<const char*>(buffer_.buf), static_cast<std::size_t>(buffer_.len));
}

ByteView::~ByteView() { PyBuffer_Release(&buffer_); }

SecretBytes secret_bytes(py::handle value, const char* what) {
  if (!PyObject_CheckBuffer(value.ptr()) || PyUnicode_Check(value.ptr())) {
    throw py::type_error(std::string(what) + " must be bytes, not " + type_name(value));
  }
  Py_buffer view;
  if (PyObject_GetBuffer(value.ptr(), &view, PyBUF_SIMPLE) != 0) throw py::error_already_set();
  SecretBytes out = SecretBytes::FromView(
      std::string_view(static_cast<const char*>(view.buf), static_cast<std::size_t>(view.len)));
  PyBuffer_Release(&view);
  return out;
}

std::string type_name(py::handle value) { return py::str(py::type::handle_of(value).attr("__name__")); }

Parameters::Parameters(const char* function, std::initializer_list<const char*> names, std::size_t positional)
    : function_(function), positional_(positional) {
  for (const char* name : names) {
    PyObject* interned = PyUnicode_InternFromString(name);
    if (interned == nullptr) throw py::error_already_set();
    names_.push_back(interned);
  }
}

void Parameters::bind(PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames, PyObject** out) const {
  std::fill(out, out + names_.size(), nullptr);
  if (static_cast<std::size_t>(nargs) > positional_) {
    throw py::type_error(function_ + "() takes at most " + std::to_string(positional_) + " positional arguments (" +
                         std::to_string(nargs) + " given)");
  }
  std::copy(args, args + nargs, out);
  const Py_ssize_t keywords = kwnames == nullptr ? 0 : PyTuple_GET_SIZE(kwnames);
  for (Py_ssize_t k = 0; k < keywords; ++k) {
    PyObject* name = PyTuple_GET_ITEM(kwnames, k);
    // Keywords a call names in its source are interned: compared by identity first.
    auto at = std::find(names_.begin(), names_.end(), name);
    if (at == names_.end()) {
      at = std::find_if(names_.begin(), names_.end(), [&](PyObject* n) { return PyUnicode_Compare(n, name) == 0; });
    }
    if (at == names_.end()) {
      throw py::type_error(function_ + "() got an unexpected keyword argument '" + py::str(name).cast<std::string>() +
                           "'");
    }
    PyObject*& slot = out[at - names_.begin()];
    if (slot != nullptr) {
      throw py::type_error(function_ + "() got multiple values for argument '" + py::str(name).cast<std::string>() +
                           "'");
    }
    slot = args[nargs + k];
  }
}

PyObject* Parameters::required(PyObject* const* out, std::size_t i) const {
  if (out[i] == nullptr) {
    throw py::type_error(function_ + "() missing required argument '" + py::str(names_[i]).cast<std::string>() + "'");
  }
  return out[i];
}

void add_fastcall(py::module_& m, PyMethodDef& def) {
  m.add_object(def.ml_name, py::reinterpret_steal<py::object>(PyCFunction_NewEx(&def, nullptr, m.attr("__name__").ptr())));
}

std::int64_t int_arg(py::handle value, const char* what) {
  if (!PyLong_Check(value.ptr())) throw py::type_error(std::string(what) + " must be int, not " + type_name(value));
#if LONG_MAX == INT64_MAX
  // PyLong_AsLongLong takes CPython's generic byte-array path for any int of two digits or
  // more (an epoch-milliseconds instant has two); PyLong_AsLong folds the digits in a loop.
  const long v = PyLong_AsLong(value.ptr());
#else
  const long long v = PyLong_AsLongLong(value.ptr());
#endif
  if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
  return v;
}

py::object sequence_arg(PyObject* value) {
  if (PyList_CheckExact(value) || PyTuple_CheckExact(value)) {
    return py::reinterpret_borrow<py::object>(value);
  }
  py::object listed = py::reinterpret_steal<py::object>(PySequence_List(value));
  if (!listed) throw py::error_already_set();
  return listed;
}

bool flag_arg(py::handle value) {
  if (value.ptr() == Py_True) return true;
  if (value.ptr() == Py_False || value.is_none()) return false;
  const int truth = PyObject_IsTrue(value.ptr());
  if (truth < 0) throw py::error_already_set();
  return truth == 1;
}

py::dict& error_classes() {
  // Leaked on purpose: it must outlive every call, including those during interpreter exit.
  static py::dict* classes = new py::dict();
  return *classes;
}

void raise(const Status& status) {
  py::str code(std::string(status.code_name()));
  py::dict& classes = error_classes();
  py::object cls = classes.contains(code) ? classes[code]
                                          : py::reinterpret_borrow<py::object>(PyExc_RuntimeError);
  py::object error = cls(status.message());
  PyErr_SetObject(cls.ptr(), error.ptr());
  throw py::error_already_set();
}

}  // namespace finfusion::python
