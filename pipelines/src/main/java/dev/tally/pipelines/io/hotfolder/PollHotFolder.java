package dev.tally.pipelines.io.hotfolder;

import java.util.List;
import org.apache.beam.sdk.transforms.Watch;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * One poll of the hot folder for {@link Watch}: first moves files older than the archive age into the archive,
 * then returns the names of every file in the hot folder and the archive. {@link Watch} emits each name once
 * (it remembers every name it emitted, in its checkpointed state), so a file is ingested once whether it is
 * still in the hot folder or already archived when its name is first seen.
 *
 * <p>Why list the archive: archiving is not tied to the sink's commits. If a file could be archived before it
 * was emitted (a poll whose result was lost in a crash, or a pipeline down for longer than the archive age),
 * watching only the hot folder would never read it. Listing both makes the moment of the move irrelevant.
 */
final class PollHotFolder extends Watch.Growth.PollFn<String, String> {
  private final HotFolder folder;
  private final Duration archiveAfter;

  PollHotFolder(HotFolder folder, Duration archiveAfter) {
    this.folder = folder;
    this.archiveAfter = archiveAfter;
  }

  @Override
  public Watch.Growth.PollResult<String> apply(String element, Context c) throws Exception {
    Instant now = Instant.now();
    folder.archiveModifiedBefore(now.minus(archiveAfter).getMillis());
    List<String> names = folder.names();
    return Watch.Growth.PollResult.incomplete(now, names).withWatermark(now);
  }
}
