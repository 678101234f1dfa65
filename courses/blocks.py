"""StreamField blocks for lesson bodies.

Every block here renders with its own template so that a new block needs no change to the lesson
template.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]
CAPTION_EXTENSIONS = (".vtt",)
VIDEO_EXTENSIONS = (".mp4", ".webm", ".ogv")


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Heading")
        template = "courses/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        help_text=_("Describe the image for people who cannot see it."),
        max_length=250,
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """A video: an uploaded file with its captions track, or an embed from a video site."""

    title = blocks.CharBlock(max_length=200)
    video_file = DocumentChooserBlock(
        required=False, label=_("Video file"), help_text=_("MP4 or WebM, uploaded as a document.")
    )
    captions = DocumentChooserBlock(
        required=False, label=_("Captions (WebVTT)"), help_text=_("Required with a video file.")
    )
    embed = EmbedBlock(required=False, label=_("Or embed from a video site"))
    transcript = blocks.RichTextBlock(required=False, features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        video_file, captions, embed = value.get("video_file"), value.get("captions"), value.get("embed")
        if bool(video_file) == bool(embed):
            errors["video_file"] = ValidationError(_("Choose either a video file or an embed."))
        if video_file:
            if not video_file.file.name.lower().endswith(VIDEO_EXTENSIONS):
                errors["video_file"] = ValidationError(_("The video must be an MP4, WebM or Ogg file."))
            if not captions:
                errors["captions"] = ValidationError(_("An uploaded video needs a captions track."))
            elif not captions.file.name.lower().endswith(CAPTION_EXTENSIONS):
                errors["captions"] = ValidationError(_("Captions must be a WebVTT (.vtt) file."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    label = blocks.CharBlock(required=False, max_length=200, help_text=_("Defaults to the document's title."))

    class Meta:
        icon = "doc-full"
        label = _("Downloadable document")
        template = "courses/blocks/document.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("tip", _("Tip")), ("note", _("Note")), ("warning", _("Warning"))], default="note"
    )
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Callout")
        template = "courses/blocks/callout.html"


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)

    class Meta:
        icon = "radio-full"
        label = _("Answer")


class KnowledgeCheckBlock(blocks.StructBlock):
    """A multiple-choice question marked on the server: the page never says which answer is right."""

    question = blocks.CharBlock(max_length=500)
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, max_num=8)
    explanation = blocks.RichTextBlock(
        required=False, features=RICH_TEXT_FEATURES, help_text=_("Shown after the learner answers.")
    )

    class Meta:
        icon = "tasks"
        label = _("Knowledge check")
        template = "courses/blocks/knowledge_check.html"

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if correct != 1:
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark exactly one answer as correct."))}
            )
        return value


class H5PBlock(blocks.StructBlock):
    """An uploaded H5P activity, shown as a light placeholder until the learner starts it.

    The learner's answers are posted as xAPI statements naming the block's activity IRI, so the same
    package placed in two lessons (or twice in one) keeps separate results.
    """

    activity = SnippetChooserBlock("courses.H5PActivity", label=_("H5P activity"))
    heading = blocks.CharBlock(
        required=False, max_length=200, help_text=_("Shown above the activity; defaults to the activity's title.")
    )

    class Meta:
        icon = "form"
        label = _("H5P activity")
        template = "courses/blocks/h5p.html"


class ScormBlock(blocks.StructBlock):
    """A SCORM package: all its SCOs in manifest order, with the package's navigation between them.

    The learner's runtime data is kept per SCO and attempt; the package's result (every SCO finished)
    is recorded against the block's activity IRI, like an H5P activity's."""

    package = SnippetChooserBlock("courses.ScormPackage", label=_("SCORM package"))
    heading = blocks.CharBlock(
        required=False, max_length=200, help_text=_("Shown above the package; defaults to the package's title.")
    )

    class Meta:
        icon = "doc-full-inverse"
        label = _("SCORM package")
        template = "courses/blocks/scorm.html"


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, template="courses/blocks/paragraph.html")
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    knowledge_check = KnowledgeCheckBlock()
    h5p = H5PBlock()
    scorm = ScormBlock()
