package cloud.finfusion.keys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * Loads libfinfusion_jni once: from the path in the system property
 * {@code finfusion.native.path} or the environment variable {@code FINFUSION_NATIVE_LIB} when
 * one is set, otherwise from the copy inside this jar, extracted to a private temporary file.
 */
final class NativeLibrary {
  static final String PROPERTY = "finfusion.native.path";
  static final String ENVIRONMENT = "FINFUSION_NATIVE_LIB";

  private static boolean loaded;

  private NativeLibrary() {}

  static synchronized void load() {
    if (loaded) return;
    String configured = System.getProperty(PROPERTY);
    if (configured == null || configured.isEmpty()) configured = System.getenv(ENVIRONMENT);
    if (configured != null && !configured.isEmpty()) {
      System.load(Path.of(configured).toAbsolutePath().toString());
    } else {
      System.load(extract().toString());
    }
    loaded = true;
  }

  private static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (arch.equals("amd64")) arch = "x86_64";
    if (arch.equals("arm64")) arch = "aarch64";
    return (os.contains("linux") ? "linux" : os.replace(' ', '_')) + "-" + arch;
  }

  private static Path extract() {
    String resource = "native/" + platform() + "/libfinfusion_jni.so";
    try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new UnsatisfiedLinkError("this jar has no FinFusion native library for " + platform()
            + "; set -D" + PROPERTY + " or " + ENVIRONMENT + " to libfinfusion_jni.so");
      }
      Path dir = Files.createTempDirectory("finfusion-jni",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path file = dir.resolve("libfinfusion_jni.so");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      // Once loaded, the mapping stays valid after the file is gone.
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      UnsatisfiedLinkError error = new UnsatisfiedLinkError("cannot extract the FinFusion native library");
      error.initCause(e);
      throw error;
    }
  }
}
