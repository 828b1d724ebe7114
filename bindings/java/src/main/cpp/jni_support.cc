#include "jni_support.h"

#include <cstring>

namespace finfusion::java {
namespace {

// Classes and constructors looked up once in JNI_OnLoad (jni_natives.cc) would tie this
// file to that one; a lookup per failure is cheap next to building the exception.
jclass find(JNIEnv* env, const char* name) {
  jclass cls = env->FindClass(name);
  if (!cls) throw Pending{};
  return cls;
}

void append_utf8(std::string& out, std::uint32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

void wipe(std::string& s) noexcept {
  volatile char* p = s.data();
  for (std::size_t i = 0; i < s.size(); ++i) p[i] = 0;
}

}  // namespace

void raise(JNIEnv* env, const Status& status) {
  jclass cls = find(env, "cloud/finfusion/keys/FinFusionException");
  jmethodID ctor = env->GetMethodID(cls, "<init>", "(Ljava/lang/String;Ljava/lang/String;)V");
  if (!ctor) throw Pending{};
  jstring code = to_java(env, code_name(status.code()));
  jstring message = to_java(env, status.message());
  auto error = static_cast<jthrowable>(env->NewObject(cls, ctor, code, message));
  if (error) env->Throw(error);
  throw Pending{};
}

void raise_java(JNIEnv* env, const char* class_name, const std::string& message) {
  env->ThrowNew(find(env, class_name), message.c_str());
  throw Pending{};
}

void utf8_of(const jchar* chars, std::size_t n, std::string& out) {
  out.clear();
  jchar above_ascii = 0;
  for (std::size_t i = 0; i < n; ++i) above_ascii |= static_cast<jchar>(chars[i] & 0xFF80);
  if (above_ascii == 0) {  // ASCII (keys, ids, scopes nearly always): a byte each
    out.resize(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<char>(chars[i]);
    return;
  }
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t c = chars[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && chars[i + 1] >= 0xDC00 && chars[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (static_cast<std::uint32_t>(chars[i + 1]) - 0xDC00);
      ++i;
    }
    append_utf8(out, c);
  }
}

Text::Text(JNIEnv* env, jstring value, const char* what) {
  if (!value) raise_java(env, "java/lang/NullPointerException", std::string(what) + " must not be null");
  const jsize n = env->GetStringLength(value);
  // Short texts (keys, ids, scopes) convert from a stack buffer; the rest from a heap copy.
  jchar small[256];
  std::vector<jchar> large;
  jchar* chars = small;
  if (n > static_cast<jsize>(sizeof(small) / sizeof(small[0]))) {
    large.resize(static_cast<std::size_t>(n));
    chars = large.data();
  }
  env->GetStringRegion(value, 0, n, chars);
  utf8_of(chars, static_cast<std::size_t>(n), bytes_);
  volatile jchar* p = chars;
  for (jsize i = 0; i < n; ++i) p[i] = 0;
}

Text::~Text() { wipe(bytes_); }

std::string bytes_of(JNIEnv* env, jbyteArray value, const char* what) {
  if (!value) raise_java(env, "java/lang/NullPointerException", std::string(what) + " must not be null");
  std::string out(static_cast<std::size_t>(env->GetArrayLength(value)), '\0');
  env->GetByteArrayRegion(value, 0, static_cast<jsize>(out.size()), reinterpret_cast<jbyte*>(out.data()));
  return out;
}

SecretBytes secret_of(JNIEnv* env, jbyteArray value, const char* what) {
  if (!value) raise_java(env, "java/lang/NullPointerException", std::string(what) + " must not be null");
  SecretBytes out(static_cast<std::size_t>(env->GetArrayLength(value)));
  env->GetByteArrayRegion(value, 0, static_cast<jsize>(out.size()), reinterpret_cast<jbyte*>(out.data()));
  return out;
}

std::vector<std::string> strings_of(JNIEnv* env, jobjectArray value, const char* what) {
  if (!value) raise_java(env, "java/lang/NullPointerException", std::string(what) + " must not be null");
  const jsize n = env->GetArrayLength(value);
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(n));
  for (jsize i = 0; i < n; ++i) {
    auto item = static_cast<jstring>(env->GetObjectArrayElement(value, i));
    out.push_back(Text(env, item, what).str());
    env->DeleteLocalRef(item);
  }
  return out;
}

// Appends UTF-16 code units to a buffer on the stack while they fit, then to the heap: UTF-8
// never gives more units than it has bytes, so the texts a decision carries stay on the stack.
class Utf16 {
 public:
  explicit Utf16(std::size_t most) : heap_(most > sizeof small_ / sizeof small_[0]) {
    if (heap_) large_.reserve(most);
  }
  void push_back(char16_t c) {
    if (heap_) {
      large_.push_back(c);
    } else {
      small_[size_++] = c;
    }
  }
  const char16_t* data() const noexcept { return heap_ ? large_.data() : small_; }
  std::size_t size() const noexcept { return heap_ ? large_.size() : size_; }

 private:
  bool heap_;
  char16_t small_[128];
  std::size_t size_ = 0;
  std::vector<char16_t> large_;
};

jstring to_java(JNIEnv* env, std::string_view utf8) {
  Utf16 out(utf8.size());
  const auto* s = reinterpret_cast<const unsigned char*>(utf8.data());
  const std::size_t n = utf8.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char b = s[i];
    std::uint32_t c = 0xFFFD;
    std::size_t len = 1;
    if (b < 0x80) {
      c = b;
    } else {
      std::size_t need = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
      if (need && i + need <= n) {
        std::uint32_t v = b & (0x7F >> need);
        bool ok = true;
        for (std::size_t k = 1; k < need; ++k) {
          if ((s[i + k] & 0xC0) != 0x80) ok = false;
          v = (v << 6) | (s[i + k] & 0x3F);
        }
        const std::uint32_t min = need == 2 ? 0x80 : need == 3 ? 0x800 : 0x10000;
        if (ok && v >= min && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF)) {
          c = v;
          len = need;
        }
      }
    }
    if (c >= 0x10000) {
      out.push_back(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(c));
    }
    i += len;
  }
  jstring result = env->NewString(reinterpret_cast<const jchar*>(out.data()), static_cast<jsize>(out.size()));
  if (!result) throw Pending{};
  return result;
}

jbyteArray to_java_bytes(JNIEnv* env, std::string_view bytes) {
  jbyteArray out = env->NewByteArray(static_cast<jsize>(bytes.size()));
  if (!out) throw Pending{};
  env->SetByteArrayRegion(out, 0, static_cast<jsize>(bytes.size()), reinterpret_cast<const jbyte*>(bytes.data()));
  return out;
}

// A global reference to a class of java.lang, which is never unloaded.
jclass global_class(JNIEnv* env, const char* name) {
  jclass local = find(env, name);
  auto global = static_cast<jclass>(env->NewGlobalRef(local));
  env->DeleteLocalRef(local);
  if (!global) throw Pending{};
  return global;
}

// A new array of `n` elements. The classes are looked up once for the process: FindClass on
// every call was a tenth of a Java verification.
jobjectArray new_array(JNIEnv* env, jsize n, ArrayOf type) {
  static const jclass object_class = global_class(env, "java/lang/Object");
  static const jclass string_class = global_class(env, "java/lang/String");
  jobjectArray out = env->NewObjectArray(n, type == ArrayOf::kString ? string_class : object_class, nullptr);
  if (!out) throw Pending{};
  return out;
}

jobjectArray to_java(JNIEnv* env, const std::vector<std::string>& strings) {
  jobjectArray out = new_array(env, static_cast<jsize>(strings.size()), ArrayOf::kString);
  for (std::size_t i = 0; i < strings.size(); ++i) {
    jstring s = to_java(env, strings[i]);
    env->SetObjectArrayElement(out, static_cast<jsize>(i), s);
    env->DeleteLocalRef(s);
  }
  return out;
}

jobjectArray objects(JNIEnv* env, std::initializer_list<jobject> items) {
  jobjectArray out = new_array(env, static_cast<jsize>(items.size()), ArrayOf::kObject);
  jsize i = 0;
  for (jobject item : items) {
    env->SetObjectArrayElement(out, i++, item);
    if (item) env->DeleteLocalRef(item);
  }
  return out;
}

}  // namespace finfusion::java
