// The conversions the JNI layer shares: Java text in as the UTF-8 the core reads (without
// echoing it anywhere), results out as Java values, and failures out as Java exceptions.
// Nothing here decides anything; the core does.
//
// Every exported function runs its body through `guarded`, which turns the C++ exceptions
// below into Java exceptions and returns a zero value: a JNI function must never let a C++
// exception reach the JVM.
#pragma once

#include <jni.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "finfusion/secret.h"
#include "finfusion/status.h"

namespace finfusion::java {

// A Java exception is pending; unwind to the JNI boundary.
struct Pending {};

// Throws cloud.finfusion.keys.FinFusionException(code, message) and unwinds.
[[noreturn]] void raise(JNIEnv* env, const Status& status);
// Throws a java.lang exception (NullPointerException, IllegalArgumentException, ...) and unwinds.
[[noreturn]] void raise_java(JNIEnv* env, const char* class_name, const std::string& message);

template <typename T>
T unwrap(JNIEnv* env, Result<T>&& result) {
  if (!result.ok()) raise(env, result.status());
  return std::move(result).value();
}
inline void check(JNIEnv* env, const Status& status) {
  if (!status.ok()) raise(env, status);
}

// Runs `body` and converts what it throws; returns `T{}` when a Java exception is pending.
template <typename T, typename F>
T guarded(JNIEnv* env, F&& body) noexcept {
  try {
    return body();
  } catch (const Pending&) {
  } catch (const std::bad_alloc&) {
    if (!env->ExceptionCheck()) env->ThrowNew(env->FindClass("java/lang/OutOfMemoryError"), "native allocation failed");
  } catch (...) {
    if (!env->ExceptionCheck()) env->ThrowNew(env->FindClass("java/lang/IllegalStateException"), "internal error");
  }
  return T{};
}

// UTF-16 code units as UTF-8 into `out`. Lone surrogates become their three-byte encodings,
// which are not UTF-8, so the core refuses them like any other bad input instead of seeing a
// replacement character.
void utf8_of(const jchar* chars, std::size_t n, std::string& out);

// A Java string as UTF-8 (utf8_of), in storage wiped on destruction (keys pass through
// here). A null reference is a NullPointerException naming `what`.
class Text {
 public:
  Text(JNIEnv* env, jstring value, const char* what);
  ~Text();
  Text(const Text&) = delete;
  Text& operator=(const Text&) = delete;
  Text(Text&& other) noexcept : bytes_(std::move(other.bytes_)) {}
  std::string_view view() const noexcept { return bytes_; }
  std::string str() const { return bytes_; }

 private:
  std::string bytes_;
};

// The contents of a byte[] (null: NullPointerException naming `what`).
std::string bytes_of(JNIEnv* env, jbyteArray value, const char* what);
// The same, copied straight into wiping storage.
SecretBytes secret_of(JNIEnv* env, jbyteArray value, const char* what);
// A String[] as UTF-8 strings; null elements are NullPointerExceptions.
std::vector<std::string> strings_of(JNIEnv* env, jobjectArray value, const char* what);

// UTF-8 from the core as a Java string (invalid sequences, which the core never returns,
// become U+FFFD).
jstring to_java(JNIEnv* env, std::string_view utf8);
jbyteArray to_java_bytes(JNIEnv* env, std::string_view bytes);
jobjectArray to_java(JNIEnv* env, const std::vector<std::string>& strings);
enum class ArrayOf { kObject, kString };
jobjectArray new_array(JNIEnv* env, jsize n, ArrayOf type);
// An Object[] of the given local references, which it releases.
jobjectArray objects(JNIEnv* env, std::initializer_list<jobject> items);

// A core object behind a Java `long` handle.
template <typename T>
T& handle(jlong h) {
  return *reinterpret_cast<T*>(static_cast<std::intptr_t>(h));
}
template <typename T>
jlong release_to_java(T* object) {
  return static_cast<jlong>(reinterpret_cast<std::intptr_t>(object));
}

}  // namespace finfusion::java
