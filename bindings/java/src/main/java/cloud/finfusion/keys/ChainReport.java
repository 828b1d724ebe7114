package cloud.finfusion.keys;

/**
 * The result of checking the audit log's hash chains: {@code ok} when every writer's chain
 * links up; otherwise {@code firstBad} is the sequence number of the first broken event.
 */
public record ChainReport(boolean ok, long fromSeq, long checked, long firstBad, String head, long chains,
    String writer) {
  /** The core's canonical JSON of this report. */
  public String toJson() {
    return CoreJson.write(this);
  }
}
