import { useId, useRef, useState } from 'react';
import { useFieldArray, type Control, type UseFormRegister } from 'react-hook-form';
import { answerOf, messageOf, sendFile } from '../api.js';
import type { ProductImage, ProductValues } from '../product-form.js';
import { useSession } from '../session.js';
import { ErrorMessage } from './ui.js';

type Uploaded = ProductImage & { sizes?: unknown };

/**
 * The product's pictures: uploaded through POST /api/catalogue/admin/images (the file itself as the
 * body, with upload progress), shown as previews, each with its alt text; or added by URL.
 */
export function ProductImages({
  control,
  register,
}: {
  control: Control<ProductValues>;
  register: UseFormRegister<ProductValues>;
}) {
  const { token } = useSession();
  const { fields, append, remove, move } = useFieldArray({ control, name: 'images' });
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [alt, setAlt] = useState('');
  const [url, setUrl] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const id = useId();

  async function upload(file: File) {
    setError(null);
    setProgress(0);
    try {
      const query = alt.trim() ? `?alt=${encodeURIComponent(alt.trim())}` : '';
      const sent = await sendFile({
        url: `/api/catalogue/admin/images${query}`,
        file,
        contentType: file.type || 'application/octet-stream',
        token: await token(),
        onProgress: setProgress,
      });
      const { sizes: _sizes, ...image } = answerOf<Uploaded>(sent);
      append({ ...image, alt: image.alt || alt.trim() });
      setAlt('');
    } catch (err) {
      setError(`The image was not uploaded: ${messageOf(err)}`);
    } finally {
      setProgress(null);
      if (fileInput.current) fileInput.current.value = '';
    }
  }

  return (
    <div className="stack">
      {fields.length === 0 && <p className="muted">No images yet.</p>}
      {fields.length > 0 && (
        <ul className="image-list">
          {fields.map((field, index) => (
            <li key={field.id} className="image-item">
              <img
                src={field.url}
                srcSet={field.srcset}
                sizes="120px"
                alt={field.alt}
                width={120}
                height={120}
                loading="lazy"
              />
              <div className="field">
                <label htmlFor={`${id}-alt-${index}`}>Alt text</label>
                <input id={`${id}-alt-${index}`} {...register(`images.${index}.alt`)} />
              </div>
              <div className="image-actions">
                {index > 0 && (
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    onClick={() => move(index, 0)}
                  >
                    Make first
                    <span className="visually-hidden"> image {index + 1}</span>
                  </button>
                )}
                <button
                  type="button"
                  className="button button-ghost button-small"
                  onClick={() => remove(index)}
                >
                  Remove
                  <span className="visually-hidden"> image {index + 1}</span>
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage>{error}</ErrorMessage>
      <div className="upload-row">
        <div className="field">
          <label htmlFor={`${id}-new-alt`}>Alt text of the next upload</label>
          <input
            id={`${id}-new-alt`}
            value={alt}
            maxLength={300}
            placeholder="What the picture shows"
            onChange={(event) => setAlt(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-file`}>Upload image</label>
          <input
            ref={fileInput}
            id={`${id}-file`}
            type="file"
            accept="image/*"
            disabled={progress !== null}
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void upload(file);
            }}
          />
        </div>
      </div>
      {progress !== null && (
        <div className="field">
          <label htmlFor={`${id}-progress`}>Uploading</label>
          <progress id={`${id}-progress`} max={1} value={progress} />
        </div>
      )}
      <div className="upload-row">
        <div className="field grow">
          <label htmlFor={`${id}-url`}>Or add by URL</label>
          <input
            id={`${id}-url`}
            type="url"
            inputMode="url"
            placeholder="https://cdn.example.com/picture.jpg"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
          />
        </div>
        <button
          type="button"
          className="button"
          disabled={!url.trim()}
          onClick={() => {
            append({ url: url.trim(), alt: alt.trim() });
            setUrl('');
            setAlt('');
          }}
        >
          Add URL
        </button>
      </div>
    </div>
  );
}
